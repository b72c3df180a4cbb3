"""Interaction templates, entries, rules, attachments, the copies of contacts and groups, outbox, inbox (2026-12-01)."""
import sqlalchemy as sa
from alembic import op

from crm_shared.columns import record_copy, record_key, stamps as stamp_columns, uuid_key, uuid_ref
from crm_shared.migration_ops import create_inbox_v1, create_outbox_v1
from crm_shared.types import Money, UTCDateTime

revision = "0001"
down_revision = None

TABLES = ("interaction_templates", "interactions", "interaction_rules", "attachments", "contacts", "contact_groups",
          "groups")


def upgrade() -> None:
    op.create_table(
        "interaction_templates",
        *record_key(),
        sa.Column("code", sa.String(20), nullable=False, unique=True),
        sa.Column("description", sa.String(500), nullable=True),
        sa.Column("method", sa.String(10), nullable=False),
        sa.Column("initiated_by", sa.String(10), nullable=False),
        sa.Column("unit_cost", Money(), nullable=False),
        sa.Column("unit_duration_minutes", sa.Integer(), nullable=False),
        uuid_ref("attachment_id", nullable=True),
        *stamp_columns(),
    )

    op.create_table(
        "interactions",
        *record_key(),
        uuid_ref("template_id", nullable=True),
        sa.Column("template_code", sa.String(20), nullable=True),
        sa.Column("contact_kind", sa.String(10), nullable=False),
        uuid_ref("contact_id"),
        sa.Column("user_id", sa.String(64), nullable=False),
        sa.Column("user_name", sa.String(200), nullable=False),
        sa.Column("method", sa.String(10), nullable=False),
        sa.Column("initiated_by", sa.String(10), nullable=False),
        sa.Column("cost", Money(), nullable=False),
        sa.Column("duration_minutes", sa.Integer(), nullable=False),
        sa.Column("occurred_at", UTCDateTime(), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("processed", sa.Boolean(), nullable=False),
        sa.Column("source", sa.String(10), nullable=False),
        sa.Column("kind", sa.String(20), nullable=True),
        uuid_ref("attachment_id", nullable=True),
        # a rule entry's event: one entry per event and contact, however often the event arrives
        uuid_ref("cause_event_id", nullable=True),
        *stamp_columns(),
        sa.UniqueConstraint("cause_event_id", "contact_id", name="uq_interactions_cause"),
        sa.Index("ix_interactions_occurred", "occurred_at", "id"),
        sa.Index("ix_interactions_contact", "contact_id", "occurred_at"),
        sa.Index("ix_interactions_template", "template_id"),
        sa.Index("ix_interactions_user", "user_id"),
        sa.Index("ix_interactions_attachment", "attachment_id"),
    )

    op.create_table(
        "interaction_rules",
        *record_key(),
        sa.Column("event_type", sa.String(120), nullable=False),
        uuid_ref("template_id"),
        uuid_ref("task_type_id", nullable=True),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        *stamp_columns(),
        sa.Index("ix_interaction_rules_event_type", "event_type"),
    )

    op.create_table(
        "attachments",
        uuid_key(),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("filename", sa.String(200), nullable=False),
        sa.Column("content_type", sa.String(200), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        uuid_ref("created_by"),
    )

    op.create_table(
        "contacts",
        *record_copy(),
        sa.Column("anonymized", sa.Boolean(), nullable=False),
        sa.Index("ix_contacts_owner", "owner_id"),
    )

    op.create_table(
        "contact_groups",
        uuid_ref("contact_id", primary_key=True),
        uuid_ref("group_id", primary_key=True),
        sa.Index("ix_contact_groups_group", "group_id"),
    )

    op.create_table(
        "groups",
        uuid_key(),
        sa.Column("name", sa.String(200), nullable=True),
        sa.Column("gone", sa.Boolean(), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
    )
    create_outbox_v1()
    create_inbox_v1()


def downgrade() -> None:
    for table in ("inbox", "outbox", *reversed(TABLES)):
        op.drop_table(table)
