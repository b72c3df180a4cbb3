"""Column groups the services' tables share, for the declared tables and the migrations alike.

Migrations build their tables from these groups too, so a group is never edited once a
migration uses it: a table that needs other columns gets them beside the group, in a new
migration. The migration tests (`crm_shared.testing.schema.migration_drift`) keep each
service's declared tables and its migrations in step.
"""
from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from crm_shared.types import UTCDateTime

#: a UUID in its canonical text form (and the few fixed ids such as "system")
UUID_LENGTH = 36


def uuid_key(name: str = "id") -> sa.Column:
    """Return a primary-key column holding a record's UUID."""
    return sa.Column(name, sa.String(UUID_LENGTH), primary_key=True)


def uuid_ref(name: str, *constraints: Any, nullable: bool = False, **options: Any) -> sa.Column:
    """Return a column naming another record (or a user) by its UUID."""
    return sa.Column(name, sa.String(UUID_LENGTH), *constraints, nullable=nullable, **options)


def record_key() -> list[sa.Column]:
    """Return the id and the version (1 at creation, one more per change) of a versioned record."""
    return [uuid_key(), sa.Column("version", sa.Integer(), nullable=False)]


def stamps() -> list[sa.Column]:
    """Return who created and who last changed a record, and when."""
    return [
        sa.Column("created_at", UTCDateTime(), nullable=False),
        uuid_ref("created_by"),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        uuid_ref("updated_by"),
    ]
