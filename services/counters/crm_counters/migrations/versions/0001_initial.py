"""The copies of tasks, comments, interactions and records, the counted items, settings, change marks,
stream tickets, outbox, inbox (2026-12-01).
"""
import sqlalchemy as sa
from alembic import op

from crm_shared.columns import record_copy
from crm_shared.migration_ops import create_inbox_v1, create_outbox_v1
from crm_shared.types import JSONValue, UTCDateTime

revision = "0001"
down_revision = None

ID = 64
TABLES = ("task_copies", "task_comments", "interaction_copies", "records", "counted_items", "counter_settings",
          "count_changes", "stream_tickets")


def _id(name: str, *, nullable: bool = False, primary_key: bool = False) -> sa.Column:
    return sa.Column(name, sa.String(ID), nullable=nullable, primary_key=primary_key)


def upgrade() -> None:
    op.create_table(
        "task_copies",
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
    op.create_table(
        "task_comments",
        _id("id", primary_key=True),
        _id("task_id"),
        _id("author_id"),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Index("ix_task_comments_task", "task_id"),
    )
    op.create_table(
        "interaction_copies",
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
    op.create_table("records", *record_copy())
    op.create_table(
        "counted_items",
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
    op.create_table(
        "counter_settings",
        _id("scope", primary_key=True),
        sa.Column("window_minutes", sa.Integer(), nullable=True),
        sa.Column("mode", sa.String(10), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
    )
    op.create_table(
        "count_changes",
        _id("user_id", primary_key=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("changed_at", UTCDateTime(), nullable=False),
    )
    op.create_table(
        "stream_tickets",
        sa.Column("secret_hash", sa.String(64), primary_key=True),
        _id("user_id"),
        sa.Column("principal", JSONValue, nullable=False),
        sa.Column("expires_at", UTCDateTime(), nullable=False),
        sa.Index("ix_stream_tickets_expires", "expires_at"),
    )
    create_outbox_v1()
    create_inbox_v1()


def downgrade() -> None:
    for table in ("inbox", "outbox", *reversed(TABLES)):
        op.drop_table(table)
