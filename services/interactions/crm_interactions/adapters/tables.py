"""The interactions service's tables.

Entries keep the settings they copied from their template (code, method, initiator, cost,
duration) so that later template edits never rewrite them; their contact is named by kind and
id, its name, owner and fate read from the copy of contacts at every read.
"""
from __future__ import annotations

import sqlalchemy as sa

from crm_shared.columns import record_copy, record_key, stamps as stamp_columns, uuid_key, uuid_ref
from crm_shared.inbox import inbox_table
from crm_shared.outbox import outbox_table
from crm_shared.types import Money, UTCDateTime

metadata = sa.MetaData()

interaction_templates = sa.Table(
    "interaction_templates", metadata,
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

interactions = sa.Table(
    "interactions", metadata,
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

interaction_rules = sa.Table(
    "interaction_rules", metadata,
    *record_key(),
    sa.Column("event_type", sa.String(120), nullable=False),
    uuid_ref("template_id"),
    uuid_ref("task_type_id", nullable=True),
    sa.Column("enabled", sa.Boolean(), nullable=False),
    *stamp_columns(),
    sa.Index("ix_interaction_rules_event_type", "event_type"),
)

attachments = sa.Table(
    "attachments", metadata,
    uuid_key(),
    sa.Column("sha256", sa.String(64), nullable=False),
    sa.Column("filename", sa.String(200), nullable=False),
    sa.Column("content_type", sa.String(200), nullable=False),
    sa.Column("size", sa.BigInteger(), nullable=False),
    sa.Column("created_at", UTCDateTime(), nullable=False),
    uuid_ref("created_by"),
)

#: the copy of persons and companies, kept from their events (an anonymized one is flagged)
contacts = sa.Table(
    "contacts", metadata,
    *record_copy(),
    sa.Column("anonymized", sa.Boolean(), nullable=False),
    sa.Index("ix_contacts_owner", "owner_id"),
)

#: which group (segment) each contact of the copy belongs to, as its last event said
contact_groups = sa.Table(
    "contact_groups", metadata,
    uuid_ref("contact_id", primary_key=True),
    uuid_ref("group_id", primary_key=True),
    sa.Index("ix_contact_groups_group", "group_id"),
)

#: the copy of groups, kept from their events
groups = sa.Table(
    "groups", metadata,
    uuid_key(),
    sa.Column("name", sa.String(200), nullable=True),
    sa.Column("gone", sa.Boolean(), nullable=False),
    sa.Column("sequence", sa.Integer(), nullable=False),
)

outbox = outbox_table(metadata)
inbox = inbox_table(metadata)
