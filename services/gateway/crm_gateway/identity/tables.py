"""The identity store's tables (the schema itself is made by the migrations)."""
from __future__ import annotations

import sqlalchemy as sa

from crm_shared.columns import uuid_key, uuid_ref
from crm_shared.outbox import outbox_table
from crm_shared.types import UTCDateTime

metadata = sa.MetaData()

users = sa.Table(
    "users",
    metadata,
    uuid_key(),
    sa.Column("username", sa.String(150), nullable=False, unique=True),
    sa.Column("password_hash", sa.String(255), nullable=False),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("email", sa.String(320), nullable=False),
    sa.Column("role", sa.String(16), nullable=False),
    uuid_ref("manager_id", sa.ForeignKey("users.id"), nullable=True),
    sa.Column("created_at", UTCDateTime(), nullable=False),
    sa.Column("active", sa.Boolean(), nullable=False, server_default=sa.true()),
    #: 1 at creation, one more per change: the `sequence` of the user's events
    sa.Column("version", sa.Integer(), nullable=False, server_default="1"),
)
sa.Index("ix_users_manager_id", users.c.manager_id)

outbox = outbox_table(metadata)
