"""Migration steps for the tables services share (outbox, inbox, stream tickets), frozen per version.

A service's migration calls the version it was written against; a later change of these
tables gets a new function and a new migration in every service, never an edit here (nor
of the column lists they build from, `outbox_columns`, `inbox_columns`, `stream_ticket_columns`).
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from crm_shared.inbox import inbox_columns
from crm_shared.outbox import outbox_columns
from crm_shared.ticket_store import EXPIRY_INDEX, TABLE, stream_ticket_columns


def create_outbox_v1() -> None:
    """Create the outbox table and its index of unpublished rows."""
    op.create_table("outbox", *outbox_columns())
    op.create_index(
        "ix_outbox_unpublished",
        "outbox",
        ["id"],
        postgresql_where=sa.text("published_at IS NULL"),
        sqlite_where=sa.text("published_at IS NULL"),
    )


def create_inbox_v1() -> None:
    """Create the inbox (tracking records) table."""
    op.create_table("inbox", *inbox_columns())


def create_stream_tickets_v1() -> None:
    """Create the stream tickets table and its index of expiry times."""
    op.create_table(TABLE, *stream_ticket_columns())
    op.create_index(EXPIRY_INDEX, TABLE, ["expires_at"])
