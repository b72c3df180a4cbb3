"""Processes (with the default one), deals, their links, the contacts copy, sources, outbox, inbox.

Written 2026-11-22.
"""
import uuid
from datetime import datetime, timezone

import sqlalchemy as sa
from alembic import op

from crm_shared.columns import record_key, stamps, uuid_key, uuid_ref
from crm_shared.migration_ops import create_inbox_v1, create_outbox_v1
from crm_shared.types import JSONValue, Money, UTCDateTime

revision = "0001"
down_revision = None

DEFAULT_STAGES = ("Qualification", "Needs analysis", "Proposal", "Negotiation")
DEFAULT_SOURCES = ("Website", "Referral", "Cold call", "Event", "Partner", "Advertising", "Other")


def upgrade() -> None:
    processes = op.create_table(
        "processes",
        *record_key(),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("stages", JSONValue, nullable=False),
        sa.Column("retired_stages", JSONValue, nullable=False),
        uuid_ref("won_task_template_id", nullable=True),
        uuid_ref("lost_task_template_id", nullable=True),
        sa.Column("is_default", sa.Boolean(), nullable=False),
        *stamps(),
    )
    op.create_table(
        "deals",
        *record_key(),
        sa.Column("name", sa.String(300), nullable=False),
        sa.Column("value", Money(), nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("source", sa.String(100), nullable=True),
        uuid_ref("process_id"),
        sa.Column("process_name", sa.String(200), nullable=False),
        uuid_ref("stage_id"),
        sa.Column("stage_name", sa.String(200), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("lost_reason", sa.Text(), nullable=True),
        sa.Column("planned_close_date", sa.Date(), nullable=True),
        uuid_ref("owner_id"),
        sa.Column("products", JSONValue, nullable=False),
        sa.Column("closed_at", UTCDateTime(), nullable=True),
        *stamps(),
    )
    op.create_index("ix_deals_process_status_stage", "deals", ["process_id", "status", "stage_id"])
    op.create_index("ix_deals_owner", "deals", ["owner_id", "created_at", "id"])
    op.create_index("ix_deals_created", "deals", ["created_at", "id"])
    op.create_index("ix_deals_close_date", "deals", ["planned_close_date"])
    op.create_table(
        "deal_links",
        uuid_key("deal_id"),
        uuid_key("contact_id"),
        sa.Column("contact_type", sa.String(10), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
    )
    op.create_index("ix_deal_links_contact", "deal_links", ["contact_id"])
    op.create_table(
        "contacts",
        uuid_key(),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("name", sa.String(420), nullable=True),
        sa.Column("valid", sa.Boolean(), nullable=False),
        sa.Column("pending", sa.Boolean(), nullable=False),
        sa.Column("gone", sa.Boolean(), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
    )
    sources = op.create_table(
        "deal_sources",
        uuid_key(),
        sa.Column("name", sa.String(100), nullable=False, unique=True),
        sa.Column("position", sa.Integer(), nullable=False),
    )
    create_outbox_v1()
    create_inbox_v1()
    _seed(processes, sources)


def _seed(processes: sa.Table, sources: sa.Table) -> None:
    """The default process and sources exist from the first start (made here, so no event for them)."""
    now = datetime.now(timezone.utc)
    op.bulk_insert(processes, [{
        "id": str(uuid.uuid4()), "version": 1, "name": "Sales",
        "stages": [{"id": str(uuid.uuid4()), "name": name} for name in DEFAULT_STAGES],
        "retired_stages": {}, "won_task_template_id": None, "lost_task_template_id": None, "is_default": True,
        "created_at": now, "created_by": "system", "updated_at": now, "updated_by": "system",
    }])
    op.bulk_insert(sources, [
        {"id": str(uuid.uuid4()), "name": name, "position": index} for index, name in enumerate(DEFAULT_SOURCES)
    ])


def downgrade() -> None:
    for table in ("inbox", "outbox", "deal_sources", "contacts", "deal_links", "deals", "processes"):
        op.drop_table(table)
