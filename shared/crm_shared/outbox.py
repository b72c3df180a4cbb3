"""The transactional outbox: events written in the same transaction as the change they describe."""
from __future__ import annotations

from typing import Iterable

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from crm_shared.envelope import CloudEvent
from crm_shared.types import UTCDateTime, utcnow

#: sequence-backed id on PostgreSQL, rowid alias on SQLite
BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def outbox_columns() -> list[sa.Column]:
    """Return fresh column objects of the outbox table (for the table and for migrations).

    Migrations build the table from these (`crm_shared.migration_ops`), so they never change:
    a changed table gets new columns in a new migration.
    """
    return [
        sa.Column("id", BigId, primary_key=True, autoincrement=True),
        sa.Column("event_id", sa.String(36), nullable=False, unique=True),
        sa.Column("routing_key", sa.String(200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("published_at", UTCDateTime(), nullable=True),
    ]


def outbox_table(metadata: sa.MetaData) -> sa.Table:
    """Define the outbox table on a service's metadata."""
    table = sa.Table("outbox", metadata, *outbox_columns())
    sa.Index(
        "ix_outbox_unpublished",
        table.c.id,
        postgresql_where=table.c.published_at.is_(None),
        sqlite_where=table.c.published_at.is_(None),
    )
    return table


def notify_channel(service: str) -> str:
    """Return the PostgreSQL NOTIFY channel that wakes the service's relay."""
    return f"outbox_{service}"


def append(connection: Connection, table: sa.Table, events: Iterable[CloudEvent], service: str) -> None:
    """Insert events into the outbox inside the caller's transaction (and, on PostgreSQL, NOTIFY the relay)."""
    rows = [
        {
            "event_id": event.id,
            "routing_key": event.type,
            "body": event.to_json(),
            "created_at": utcnow(),
        }
        for event in events
    ]
    if not rows:
        return
    if connection.dialect.name != "postgresql":
        connection.execute(table.insert(), rows)
        return
    # One round trip for the rows and the NOTIFY: the insert runs as a data-modifying CTE
    # (always executed in full) and the notification is delivered only at commit, so the
    # relay wakes exactly when the rows become visible to it. The statement is built once
    # and only its parameters change, so SQLAlchemy compiles it once per process.
    channel = notify_channel(service)
    connection.execute(_POSTGRES_APPEND, [{**row, "channel": channel} for row in rows])


def drop_published_naming(connection: Connection, table: sa.Table, subject_id: str) -> int:
    """Delete the published rows whose event names `subject_id` anywhere; return how many went.

    For an erasure (CON-4): a published event is only kept for the retention period, and one
    that names an erased subject may hold its personal values (its state, a link's name, a
    change's before value). Unpublished rows stay to be delivered: their consumers redact them
    on arrival. Ids are UUIDs, so a row naming the subject is one whose body contains its id.
    """
    if not subject_id:
        return 0
    result = connection.execute(table.delete().where(
        table.c.published_at.is_not(None), table.c.body.contains(subject_id, autoescape=True)))
    return result.rowcount or 0


_POSTGRES_APPEND = sa.text(
    "WITH inserted AS (INSERT INTO outbox (event_id, routing_key, body, created_at)"
    " VALUES (:event_id, :routing_key, :body, :created_at) RETURNING id)"
    " SELECT pg_notify(:channel, '')"
).bindparams(sa.bindparam("created_at", type_=UTCDateTime()))
