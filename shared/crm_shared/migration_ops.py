"""Migration steps for the tables every service shares (outbox, inbox), frozen per version.

A service's migration calls the version it was written against; a later change of these
tables gets a new function and a new migration in every service, never an edit here.
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from crm_shared.outbox import BigId
from crm_shared.types import UTCDateTime


def create_outbox_v1() -> None:
    """Create the outbox table and its index of unpublished rows."""
    op.create_table(
        "outbox",
        sa.Column("id", BigId, primary_key=True, autoincrement=True),
        sa.Column("event_id", sa.String(36), nullable=False, unique=True),
        sa.Column("routing_key", sa.String(200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("published_at", UTCDateTime(), nullable=True),
    )
    op.create_index(
        "ix_outbox_unpublished",
        "outbox",
        ["id"],
        postgresql_where=sa.text("published_at IS NULL"),
        sqlite_where=sa.text("published_at IS NULL"),
    )


def create_inbox_v1() -> None:
    """Create the inbox (tracking records) table."""
    op.create_table(
        "inbox",
        sa.Column("consumer", sa.String(64), primary_key=True),
        sa.Column("event_id", sa.String(36), primary_key=True),
        sa.Column("processed_at", UTCDateTime(), nullable=False),
    )
