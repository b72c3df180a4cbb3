"""Migration 0005 moves stored entries into monthly partitions; retention drops whole old months."""
from __future__ import annotations

import uuid
from datetime import datetime, timedelta, timezone
from typing import Callable

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.config import Config

from crm_audit.__main__ import MIGRATIONS
from crm_audit.adapters import partitions
from crm_audit.maintenance import maintain_once, retention_months
from crm_shared import db
from crm_shared.envelope import CloudEvent

NOW = datetime(2026, 12, 15, 12, 0, tzinfo=timezone.utc)


def _migrate(engine: sa.Engine, revision: str) -> None:
    with engine.begin() as connection:
        config = Config()
        config.set_main_option("script_location", MIGRATIONS)
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def _count(engine: sa.Engine, table: str = "audit_entries") -> int:
    with engine.connect() as connection:
        return connection.execute(sa.text(f"SELECT count(*) FROM {table}")).scalar_one()


def test_the_migration_keeps_every_stored_entry_and_files_it_under_its_month(any_database_url: str) -> None:
    db.ensure_database(any_database_url)
    engine = db.create_engine(any_database_url)
    try:
        _migrate(engine, "0004")
        with engine.begin() as connection:
            for n, at in enumerate(("2026-05-03T10:00:00+00:00", "2026-07-30T23:59:59+00:00")):
                connection.execute(sa.text(
                    "INSERT INTO audit_entries (id, occurred_at, user_id, user_name, channel, object_type, object_id,"
                    " operation, changes, correlation_id, source, recorded_at, seq) VALUES (:id, :at, 'u', 'U', 'api',"
                    " 'person', 'p', 'updated', '[]', 'r', 's', :at, :n)"), {"id": str(uuid.uuid4()), "at": at, "n": n + 1})
        _migrate(engine, "head")

        assert _count(engine) == 2
        if engine.dialect.name == "postgresql":
            assert _count(engine, "audit_entries_p202605") == 1
            assert _count(engine, "audit_entries_p202607") == 1
            assert _count(engine, partitions.DEFAULT_PARTITION) == 0
    finally:
        engine.dispose()


def test_retention_drops_the_months_before_the_kept_ones_and_an_entry_no_month_holds_still_lands(
        audit_engine: sa.Engine, record: Callable[[list[CloudEvent]], None],
        make_event: Callable[..., CloudEvent]) -> None:
    times = [datetime(2026, month, 10, tzinfo=timezone.utc) for month in (6, 9, 10, 11, 12)]
    if audit_engine.dialect.name == "postgresql":
        with audit_engine.begin() as connection:
            partitions.create_months(connection, times[0], NOW)
    # 2020 has no partition: the default one takes it
    record([make_event(time=moment) for moment in [*times, datetime(2020, 1, 1, tzinfo=timezone.utc)]])

    changes = maintain_once(audit_engine, 2, now=NOW)

    with audit_engine.connect() as connection:
        kept = sorted(connection.execute(sa.text("SELECT occurred_at FROM audit_entries")).scalars())
    assert len(kept) == 3  # October, November, December
    if audit_engine.dialect.name == "postgresql":
        assert {"dropped audit_entries_p202606", "dropped audit_entries_p202609"} <= set(changes)
        with audit_engine.connect() as connection:
            ahead = partitions.months(connection)
        assert datetime(2027, 3, 1, tzinfo=timezone.utc) in ahead  # three months ahead of December


# partitions are PostgreSQL's: SQLite keeps one plain table, so this runs on PostgreSQL alone
@pytest.mark.parametrize("any_database_url", ["postgresql"], indirect=True)
def test_a_new_month_takes_over_the_entries_the_default_partition_held_for_it(
        record: Callable[[list[CloudEvent]], None], audit_engine: sa.Engine,
        make_event: Callable[..., CloudEvent]) -> None:
    far = datetime(2031, 2, 3, tzinfo=timezone.utc)
    record([make_event(time=far)])

    with audit_engine.begin() as connection:
        partitions.create_months(connection, far, far)

    assert _count(audit_engine, "audit_entries_p203102") == 1
    assert _count(audit_engine, partitions.DEFAULT_PARTITION) == 0


def test_retention_is_off_unless_set_and_must_be_a_whole_number_of_months() -> None:
    assert retention_months({}) is None
    assert retention_months({"CRM_AUDIT_RETENTION_MONTHS": "24"}) == 24
    for wrong in ("0", "-1", "two", "1.5"):
        try:
            retention_months({"CRM_AUDIT_RETENTION_MONTHS": wrong})
        except ValueError as error:
            assert "CRM_AUDIT_RETENTION_MONTHS" in str(error)
        else:
            raise AssertionError(wrong)


def test_nothing_is_dropped_without_a_retention_period(audit_engine: sa.Engine,
                                                       record: Callable[[list[CloudEvent]], None],
                                                       make_event: Callable[..., CloudEvent]) -> None:
    record([make_event(time=NOW - timedelta(days=3000))])

    maintain_once(audit_engine, None, now=NOW)

    assert _count(audit_engine) == 1
