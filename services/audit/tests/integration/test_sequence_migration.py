"""Migration 0003 numbers the entries stored before it in the order they were recorded, and the consumer
numbers on after them."""
from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Callable

import sqlalchemy as sa
from alembic import command
from alembic.config import Config

from crm_audit.__main__ import MIGRATIONS
from crm_audit.consumer import handle_events
from crm_shared import db
from crm_shared.envelope import CloudEvent
from crm_shared.unit_of_work import Transaction

from ..conftest import T0


def _migrate(connection: sa.Connection, revision: str) -> None:
    config = Config()
    config.set_main_option("script_location", MIGRATIONS)
    config.attributes["connection"] = connection
    command.upgrade(config, revision)


def test_entries_stored_before_the_sequence_are_numbered_by_recording_time_and_new_ones_follow(
        any_database_url: str, make_event: Callable[..., CloudEvent]) -> None:
    db.ensure_database(any_database_url)
    engine = db.create_engine(any_database_url)
    try:
        with engine.begin() as connection:
            _migrate(connection, "0002")
            ids = [str(uuid.uuid4()) for _ in range(3)]
            for n, (entry_id, recorded) in enumerate(zip(ids, (2, 0, 1))):
                connection.execute(sa.text(
                    "INSERT INTO audit_entries (id, occurred_at, user_id, user_name, channel, object_type, object_id,"
                    " operation, changes, correlation_id, source, recorded_at) VALUES (:id, :at, 'u', 'U', 'api',"
                    " 'person', :o, 'updated', '[]', 'r', 's', :rec)"),
                    {"id": entry_id, "at": T0, "o": f"p-{n}", "rec": T0 + timedelta(seconds=recorded)})
        with engine.begin() as connection:
            _migrate(connection, "head")
        event = make_event()
        with engine.begin() as connection:
            handle_events(Transaction(connection=connection), [event])
        with engine.connect() as connection:
            seqs = dict(connection.execute(sa.text("SELECT id, seq FROM audit_entries")).all())
        assert [seqs[ids[1]], seqs[ids[2]], seqs[ids[0]], seqs[event.id]] == [1, 2, 3, 4]
    finally:
        engine.dispose()
