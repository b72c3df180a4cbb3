"""The counters service's tables: its copies, the counted items derived from them, settings,
the per-user change marks the live streams watch, stream tickets, outbox and inbox."""
from __future__ import annotations

import sqlalchemy as sa

from crm_shared.columns import record_copy
from crm_shared.inbox import inbox_table
from crm_shared.outbox import outbox_table
from crm_shared.ticket_store import stream_tickets_table
from crm_shared.types import UTCDateTime

metadata = sa.MetaData()
ID = 64


def _id(name: str, *, nullable: bool = False, primary_key: bool = False) -> sa.Column:
    return sa.Column(name, sa.String(ID), nullable=nullable, primary_key=primary_key)


#: the copy of each task: responsible, due time (or start), open or done, its record
task_copies = sa.Table(
    "task_copies", metadata,
    _id("id", primary_key=True),
    sa.Column("sequence", sa.Integer(), nullable=False),
    sa.Column("title", sa.String(500), nullable=False),
    _id("responsible_id"),
    sa.Column("due", UTCDateTime(), nullable=True),
    sa.Column("done", sa.Boolean(), nullable=False),
    sa.Column("deleted", sa.Boolean(), nullable=False),
    sa.Column("record_type", sa.String(10), nullable=True),
    _id("record_id", nullable=True),
    sa.Column("record_name", sa.String(420), nullable=True),
    sa.Index("ix_task_copies_record", "record_id"),
)

task_comments = sa.Table(
    "task_comments", metadata,
    _id("id", primary_key=True),
    _id("task_id"),
    _id("author_id"),
    sa.Column("created_at", UTCDateTime(), nullable=False),
    sa.Index("ix_task_comments_task", "task_id"),
)

interaction_copies = sa.Table(
    "interaction_copies", metadata,
    _id("id", primary_key=True),
    sa.Column("sequence", sa.Integer(), nullable=False),
    sa.Column("contact_type", sa.String(10), nullable=True),
    _id("contact_id", nullable=True),
    sa.Column("contact_name", sa.String(420), nullable=True),
    _id("user_id", nullable=True),
    sa.Column("source", sa.String(20), nullable=False),
    sa.Column("kind", sa.String(20), nullable=True),
    sa.Column("canceled", sa.Boolean(), nullable=False),
    sa.Column("processed", sa.Boolean(), nullable=False),
    sa.Column("deleted", sa.Boolean(), nullable=False),
    sa.Index("ix_interaction_copies_contact", "contact_id"),
)

#: the owners (and names) of persons, companies and deals, from their events
records = sa.Table("records", metadata, *record_copy())

#: every counted activity, with the two users it may count for (record mode, activity mode)
counted_items = sa.Table(
    "counted_items", metadata,
    sa.Column("key", sa.String(80), primary_key=True),
    sa.Column("counter", sa.String(10), nullable=False),
    sa.Column("category", sa.String(20), nullable=True),
    sa.Column("due", UTCDateTime(), nullable=True),
    sa.Column("record_type", sa.String(10), nullable=True),
    _id("record_id", nullable=True),
    sa.Column("record_name", sa.String(420), nullable=True),
    _id("record_user_id"),
    _id("activity_user_id"),
    _id("author_id", nullable=True),
    sa.Index("ix_counted_items_record_user", "record_user_id", "counter", "due"),
    sa.Index("ix_counted_items_activity_user", "activity_user_id", "counter", "due"),
)

#: `*` for everyone, else one user's own values (None: the global one)
counter_settings = sa.Table(
    "counter_settings", metadata,
    _id("scope", primary_key=True),
    sa.Column("window_minutes", sa.Integer(), nullable=True),
    sa.Column("mode", sa.String(10), nullable=True),
    sa.Column("version", sa.Integer(), nullable=False),
)

#: one row per user whose counts may have changed (`*`: everyone's), what the live streams watch
count_changes = sa.Table(
    "count_changes", metadata,
    _id("user_id", primary_key=True),
    sa.Column("version", sa.Integer(), nullable=False),
    sa.Column("changed_at", UTCDateTime(), nullable=False),
)

#: short-lived single-use tickets to open a stream without a token in the URL (SHA-256 of the secret)
stream_tickets = stream_tickets_table(metadata)

outbox = outbox_table(metadata)
inbox = inbox_table(metadata)
