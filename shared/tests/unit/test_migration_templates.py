"""A fresh SQLite test database migrated as a copy of its template is the database migrating gives."""
from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

from crm_shared import migrations
from crm_shared.cli import migrations_location
from crm_shared.declaration import declared
from crm_shared.testing import templates


def _schema(url: str) -> tuple[list[str], list[str], list[tuple]]:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as connection:
            tables = sorted(sa.inspect(connection).get_table_names())
            versions = list(connection.execute(sa.text("SELECT version_num FROM alembic_version")).scalars())
            seeds = sorted(connection.execute(sa.text("SELECT name FROM task_types")).all())
        return tables, versions, seeds
    finally:
        engine.dispose()


def test_the_copy_has_the_schema_seeds_and_version_of_a_migrated_database_and_migrates_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    location = migrations_location(declared("tasks"))
    migrated_url = f"sqlite:///{tmp_path}/migrated.sqlite3"
    migrations.upgrade(migrated_url, location, "tasks")

    runs: list[str] = []
    real_upgrade = templates.upgrade
    monkeypatch.setattr(templates, "_TEMPLATES", {})
    monkeypatch.setattr(templates, "upgrade", lambda url, *args: (runs.append(url), real_upgrade(url, *args)))
    copies = [f"sqlite:///{tmp_path}/copy-{n}/test.sqlite3" for n in range(3)]
    for url in copies:
        templates.migrated(url, location, "tasks")

    assert len(runs) == 1, "the migrations ran for the template alone"
    assert all(_schema(url) == _schema(migrated_url) for url in copies)
    assert _schema(migrated_url)[0] and _schema(migrated_url)[2], "tables and seed rows, not an empty file"


def test_a_database_that_is_not_fresh_is_migrated_where_it_is(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    location = migrations_location(declared("tasks"))
    url = f"sqlite:///{tmp_path}/used.sqlite3"
    migrations.upgrade(url, location, "tasks")
    runs: list[str] = []
    monkeypatch.setattr(templates, "upgrade", lambda url, *args: runs.append(url))
    templates.migrated(url, location, "tasks")
    assert runs == [url]
