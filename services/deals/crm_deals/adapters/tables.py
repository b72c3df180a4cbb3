"""The deals service's tables."""
from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

from crm_shared.columns import record_key, stamps, uuid_key, uuid_ref
from crm_shared.inbox import inbox_table
from crm_shared.outbox import outbox_table
from crm_shared.types import JSONValue, Money, UTCDateTime

metadata = sa.MetaData()
#: JSON where None is SQL NULL, so that links awaiting a contact can be found with IS NOT NULL
AWAITING = sa.JSON(none_as_null=True).with_variant(postgresql.JSONB(none_as_null=True), "postgresql")


processes = sa.Table(
    "processes",
    metadata,
    *record_key(),
    sa.Column("name", sa.String(200), nullable=False),
    # [{"id","name"}] in order; removed stages stay in retired_stages {id: name} for old deals
    sa.Column("stages", JSONValue, nullable=False),
    sa.Column("retired_stages", JSONValue, nullable=False),
    uuid_ref("won_task_template_id", nullable=True),
    uuid_ref("lost_task_template_id", nullable=True),
    sa.Column("is_default", sa.Boolean(), nullable=False),
    *stamps(),
)

deals = sa.Table(
    "deals",
    metadata,
    *record_key(),
    sa.Column("name", sa.String(300), nullable=False),
    sa.Column("value", Money(), nullable=False),
    sa.Column("currency", sa.String(3), nullable=False),
    sa.Column("source", sa.String(100), nullable=True),
    uuid_ref("process_id"),
    # names copied from the process so that lists and history read without a join;
    # renaming a process or stage rewrites them
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
    sa.Index("ix_deals_process_status_stage", "process_id", "status", "stage_id"),
    sa.Index("ix_deals_owner", "owner_id", "created_at", "id"),
    sa.Index("ix_deals_created", "created_at", "id"),
    sa.Index("ix_deals_close_date", "planned_close_date"),
)

deal_links = sa.Table(
    "deal_links",
    metadata,
    uuid_key("deal_id"),
    uuid_key("contact_id"),
    sa.Column("contact_type", sa.String(10), nullable=False),
    sa.Column("position", sa.Integer(), nullable=False),
    # hidden: the linking user could not see the contact (nameless, left out of the deal's events);
    # awaiting: while the contact is not known yet, the owners whose contacts the linking user sees
    # (["*"]: everyone's), to judge the link by when the contact's event arrives
    sa.Column("hidden", sa.Boolean(), nullable=False, server_default=sa.false()),
    sa.Column("awaiting", AWAITING, nullable=True),
    sa.Index("ix_deal_links_contact", "contact_id"),
)

#: the deals service's copy of the contacts it links, kept from contact events
contacts = sa.Table(
    "contacts",
    metadata,
    uuid_key(),
    sa.Column("kind", sa.String(10), nullable=False),
    sa.Column("name", sa.String(420), nullable=True),
    sa.Column("owner_id", sa.String(36), nullable=True),
    sa.Column("valid", sa.Boolean(), nullable=False),
    # pending: linked before its event arrived; gone: deleted or merged into another
    sa.Column("pending", sa.Boolean(), nullable=False),
    sa.Column("gone", sa.Boolean(), nullable=False),
    sa.Column("sequence", sa.Integer(), nullable=False),
    sa.Column("updated_at", UTCDateTime(), nullable=False),
)

#: the deals service's copy of the task templates processes name, kept from task template events
task_templates = sa.Table(
    "task_templates",
    metadata,
    uuid_key(),
    sa.Column("name", sa.String(300), nullable=True),
    # pending: named by a process before its event arrived; gone: deleted (the last name stays)
    sa.Column("pending", sa.Boolean(), nullable=False),
    sa.Column("gone", sa.Boolean(), nullable=False),
    sa.Column("sequence", sa.Integer(), nullable=False),
    sa.Column("updated_at", UTCDateTime(), nullable=False),
)

deal_sources = sa.Table(
    "deal_sources",
    metadata,
    uuid_key(),
    sa.Column("name", sa.String(100), nullable=False, unique=True),
    sa.Column("position", sa.Integer(), nullable=False),
)

outbox = outbox_table(metadata)
inbox = inbox_table(metadata)
