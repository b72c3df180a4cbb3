"""Migrated SQLite test databases as copies of a template: a service's migrations run once per test process.

Running a service's Alembic migrations for every SQLite test costs more than many tests
themselves. A template file is migrated once (per migrations folder and process) and each test's
fresh SQLite database becomes a copy of it: the same schema, seed rows and `alembic_version` that
migrating gives. PostgreSQL databases are migrated as they are (creating one from a template
costs about what migrating it does), and so is a database that is not fresh.
"""
from __future__ import annotations

import atexit
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import sqlalchemy as sa
from sqlalchemy.engine import make_url

from crm_shared import db
from crm_shared.migrations import upgrade

#: the migrated template file of each migrations folder
_TEMPLATES: dict[str, str] = {}


def migrated(database_url: str, script_location: str, service: str) -> None:
    """Bring a test database to the newest schema of `service`: a fresh SQLite one as a copy of its template."""
    parsed = make_url(database_url)
    backend = parsed.get_backend_name()
    if backend == "sqlite" and parsed.database and parsed.database != ":memory:":
        _copy_sqlite(Path(parsed.database), database_url, script_location, service)
    else:
        upgrade(database_url, script_location, service)


@contextmanager
def migrated_engine(database_url: str, script_location: str, service: str) -> Iterator[sa.Engine]:
    """Yield an engine on a test database brought to `service`'s newest schema (`migrated`); dispose it after."""
    migrated(database_url, script_location, service)
    engine = db.create_engine(database_url)
    try:
        yield engine
    finally:
        engine.dispose()


def _copy_sqlite(target: Path, database_url: str, script_location: str, service: str) -> None:
    if target.exists() and target.stat().st_size > 0:
        upgrade(database_url, script_location, service)
        return
    template = _TEMPLATES.get(script_location)
    if template is None:
        folder = Path(tempfile.mkdtemp(prefix=f"crm-template-{service}-"))
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
        template = str(folder / "template.sqlite3")
        upgrade(f"sqlite:///{template}", script_location, service)
        if Path(template + "-wal").exists():  # not checkpointed: a copy of the main file alone would be short
            upgrade(database_url, script_location, service)
            return
        _TEMPLATES[script_location] = template
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(template, target)
