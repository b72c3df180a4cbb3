"""Tracking records of processed events: the consumers' exactly-once effect."""
from __future__ import annotations

from typing import Iterable

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection

from crm_shared.types import UTCDateTime, utcnow


def inbox_columns() -> list[sa.Column]:
    """Return fresh column objects of the inbox table (for the table and for migrations).

    Migrations build the table from these (`crm_shared.migration_ops`), so they never change:
    a changed table gets new columns in a new migration.
    """
    return [
        sa.Column("consumer", sa.String(64), primary_key=True),
        sa.Column("event_id", sa.String(36), primary_key=True),
        sa.Column("processed_at", UTCDateTime(), nullable=False),
    ]


def inbox_table(metadata: sa.MetaData) -> sa.Table:
    """Define the inbox table on a service's metadata."""
    return sa.Table("inbox", metadata, *inbox_columns())


def claim(connection: Connection, table: sa.Table, consumer: str, event_ids: Iterable[str]) -> set[str]:
    """Record events as processed in the caller's transaction; return the ids that were new.

    The (consumer, event_id) key makes a second delivery of the same event a no-op: the
    tracking row and the consumer's effect commit together or not at all.
    """
    ids = list(dict.fromkeys(event_ids))
    if not ids:
        return set()
    dialect = postgresql if connection.dialect.name == "postgresql" else sqlite
    now = utcnow()
    # A fixed statement executed with many parameter sets: SQLAlchemy compiles it once and
    # sends the rows in multi-VALUES batches ("insertmanyvalues"), returning the new ids.
    statement = dialect.insert(table).on_conflict_do_nothing().returning(table.c.event_id)
    rows = [{"consumer": consumer, "event_id": event_id, "processed_at": now} for event_id in ids]
    return set(connection.execute(statement, rows).scalars())
