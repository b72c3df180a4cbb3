"""Task types, statuses and settings (with their defaults), tasks, comments, shares, templates,
spaces, the copies of linked records and user names, calendar feeds, post-sale runs, outbox, inbox (2026-12-01).
"""
import uuid

import sqlalchemy as sa
from alembic import op

from crm_shared.columns import record_copy, record_key, stamps as stamp_columns
from crm_shared.migration_ops import create_inbox_v1, create_outbox_v1
from crm_shared.types import JSONValue, UTCDateTime

revision = "0001"
down_revision = None

DEFAULT_TYPES = ("Email", "Offer", "Project", "Meeting", "Online meeting", "Call")
DEFAULT_STATUSES = ("To do", "In progress", "Done")
TABLES = ("task_types", "task_statuses", "task_settings", "tasks", "task_members", "task_links", "task_comments",
          "task_shares", "task_templates", "spaces", "records", "user_names", "task_feeds", "post_sale_runs")


def upgrade() -> None:
    task_types = op.create_table(
        "task_types",
        *record_key(),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("suggest_next", JSONValue, nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
    )

    task_statuses = op.create_table(
        "task_statuses",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
    )

    task_settings = op.create_table(
        "task_settings",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("statuses_enabled", sa.Boolean(), nullable=False),
    )

    op.create_table(
        "tasks",
        *record_key(),
        sa.Column("body", JSONValue, nullable=False),
        sa.Column("type_id", sa.String(36), nullable=False),
        sa.Column("status_id", sa.String(36), nullable=True),
        sa.Column("responsible_id", sa.String(64), nullable=False),
        sa.Column("private", sa.Boolean(), nullable=False),
        sa.Column("done", sa.Boolean(), nullable=False),
        # the due time, or the start of a timed task: what due_from / due_to filter on
        sa.Column("at", UTCDateTime(), nullable=True),
        *stamp_columns(),
        sa.Index("ix_tasks_responsible", "responsible_id", "created_at", "id"),
        sa.Index("ix_tasks_created", "created_at", "id"),
        sa.Index("ix_tasks_type", "type_id"),
        sa.Index("ix_tasks_status", "status_id"),
        sa.Index("ix_tasks_at", "at"),
    )

    op.create_table(
        "task_members",
        sa.Column("task_id", sa.String(36), primary_key=True),
        sa.Column("user_id", sa.String(64), primary_key=True),
        sa.Index("ix_task_members_user", "user_id"),
    )

    op.create_table(
        "task_links",
        sa.Column("task_id", sa.String(36), primary_key=True),
        sa.Column("link_type", sa.String(10), primary_key=True),
        sa.Column("link_id", sa.String(64), nullable=False),
        sa.Index("ix_task_links_record", "link_id", "link_type"),
    )

    op.create_table(
        "task_comments",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("task_id", sa.String(36), nullable=False),
        sa.Column("author_id", sa.String(64), nullable=False),
        sa.Column("author_name", sa.String(200), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Index("ix_task_comments_task", "task_id", "created_at", "id"),
    )

    op.create_table(
        "task_shares",
        sa.Column("owner_id", sa.String(64), primary_key=True),
        sa.Column("grantee_id", sa.String(64), primary_key=True),
        sa.Column("level", sa.String(10), nullable=False),
        sa.Column("per_type", JSONValue, nullable=False),
        sa.Index("ix_task_shares_grantee", "grantee_id"),
    )

    op.create_table(
        "task_templates",
        *record_key(),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("items", JSONValue, nullable=False),
        *stamp_columns(),
    )

    op.create_table(
        "spaces",
        *record_key(),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("member_ids", JSONValue, nullable=False),
        *stamp_columns(),
    )

    op.create_table("records", *record_copy())

    op.create_table(
        "user_names",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
    )

    op.create_table(
        "task_feeds",
        sa.Column("user_id", sa.String(64), primary_key=True),
        sa.Column("secret_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
    )

    op.create_table(
        "post_sale_runs",
        sa.Column("deal_id", sa.String(36), primary_key=True),
        sa.Column("sequence", sa.Integer(), primary_key=True),
        sa.Column("template_id", sa.String(36), nullable=False),
        sa.Column("applied_at", UTCDateTime(), nullable=False),
    )
    create_outbox_v1()
    create_inbox_v1()
    _seed(task_types, task_statuses, task_settings)


def _seed(types: sa.Table, statuses: sa.Table, settings: sa.Table) -> None:
    """The default types, statuses and settings exist from the first start (made here, so no events)."""
    op.bulk_insert(types, [{"id": str(uuid.uuid4()), "version": 1, "name": name, "suggest_next": None,
                            "position": index} for index, name in enumerate(DEFAULT_TYPES)])
    op.bulk_insert(statuses, [{"id": str(uuid.uuid4()), "name": name, "position": index}
                              for index, name in enumerate(DEFAULT_STATUSES)])
    op.bulk_insert(settings, [{"id": 1, "statuses_enabled": False}])


def downgrade() -> None:
    for table in ("inbox", "outbox", *reversed(TABLES)):
        op.drop_table(table)
