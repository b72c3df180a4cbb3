"""Columns several services' tables share, frozen per version like `crm_shared.migration_ops`.

A table and the migration that creates it both call the same version, so the two cannot drift;
a later change of these columns gets a new function (and a new migration), never an edit here.
"""
from __future__ import annotations

import sqlalchemy as sa

from crm_shared.types import UTCDateTime


def stamp_columns_v1(user_id_length: int = 36) -> list[sa.Column]:
    """Return who created and last changed a record, and when."""
    return [
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("created_by", sa.String(user_id_length), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.Column("updated_by", sa.String(user_id_length), nullable=False),
    ]


def record_copy_columns_v1() -> list[sa.Column]:
    """Return the columns of a copy of other services' records kept from their events
    (`crm_shared.copies.KnownRecord`): kind, name, owner, validity, pending, gone, last sequence."""
    return [
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("name", sa.String(420), nullable=True),
        sa.Column("owner_id", sa.String(64), nullable=True),
        sa.Column("valid", sa.Boolean(), nullable=False),
        # pending: linked before its event arrived; gone: deleted or merged into another
        sa.Column("pending", sa.Boolean(), nullable=False),
        sa.Column("gone", sa.Boolean(), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
    ]
