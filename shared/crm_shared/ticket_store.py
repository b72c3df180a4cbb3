"""Where a service keeps its stream tickets (`crm_shared.stream_tickets`): one table, one store."""
from __future__ import annotations

from datetime import datetime
from typing import Any, Callable

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from crm_shared.types import JSONValue, UTCDateTime
from crm_shared.unit_of_work import Transaction

TABLE = "stream_tickets"
EXPIRY_INDEX = "ix_stream_tickets_expires"


def stream_ticket_columns() -> list[sa.Column]:
    """Return fresh columns of the tickets table, as the counters' first migration made it.

    `crm_shared.migration_ops.create_stream_tickets_v1` builds the table from these too: they
    stay as they are, and a ticket that needs more gets new columns in new migrations.
    """
    return [
        sa.Column("secret_hash", sa.String(64), primary_key=True),
        sa.Column("user_id", sa.String(64), nullable=False),
        sa.Column("principal", JSONValue, nullable=False),
        sa.Column("expires_at", UTCDateTime(), nullable=False),
    ]


def stream_tickets_table(metadata: sa.MetaData) -> sa.Table:
    """Define the tickets table on a service's metadata."""
    table = sa.Table(TABLE, metadata, *stream_ticket_columns())
    sa.Index(EXPIRY_INDEX, table.c.expires_at)
    return table


class StreamTickets:
    """Tickets to open one stream: the SHA-256 of the secret, the caller it was issued to, until when."""

    def __init__(self, connection: Connection, table: sa.Table) -> None:
        self.connection = connection
        self.table = table

    @classmethod
    def on(cls, table: sa.Table) -> Callable[[Connection], "StreamTickets"]:
        """Return a repository class for a unit of work's `repositories`: the store of this table."""
        return lambda connection: cls(connection, table)

    def add(self, secret_hash: str, principal: dict[str, Any], expires_at: datetime) -> None:
        self.connection.execute(self.table.insert().values(
            secret_hash=secret_hash, user_id=principal["id"], principal=principal, expires_at=expires_at))

    def take(self, secret_hash: str, now: datetime) -> dict[str, Any] | None:
        """Use a ticket up: return its caller if it was unused and unexpired, None otherwise."""
        key = self.table.c.secret_hash == secret_hash
        row = self.connection.execute(sa.select(self.table).where(key)).mappings().first()
        if row is None:
            return None
        # of two requests spending the same ticket at once, only the one whose delete took the row gets it
        taken = self.connection.execute(self.table.delete().where(key))
        return dict(row["principal"]) if taken.rowcount == 1 and row["expires_at"] > now else None

    def purge(self, now: datetime) -> None:
        """Forget the expired tickets."""
        self.connection.execute(self.table.delete().where(self.table.c.expires_at <= now))


class TicketTransaction(Transaction):
    """A transaction over the tickets alone, for a service whose API otherwise only reads."""

    def __init__(self, engine: Engine, table: sa.Table) -> None:
        self.table = table
        self.tickets: StreamTickets
        super().__init__(engine)

    def _open(self) -> None:
        self.tickets = StreamTickets(self.connection, self.table)

