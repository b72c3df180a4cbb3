"""The contacts service's tables."""
from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

from crm_shared.columns import record_key, stamps, uuid_key, uuid_ref
from crm_shared.inbox import inbox_table
from crm_shared.outbox import outbox_table
from crm_shared.types import JSONValue, UTCDateTime

metadata = sa.MetaData()


def _contact_columns() -> list[sa.Column]:
    return [
        *record_key(),
        sa.Column("emails", JSONValue, nullable=False),
        sa.Column("phones", JSONValue, nullable=False),
        sa.Column("tags", JSONValue, nullable=False),
        sa.Column("address", JSONValue, nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        uuid_ref("owner_id", nullable=True),
        sa.Column("valid", sa.Boolean(), nullable=False),
        # derived from the fields on every write, for sorting and searching in SQL
        sa.Column("sort_name", sa.String(420), nullable=False),
        sa.Column("search_text", sa.Text(), nullable=False),
        *stamps(),
        *record_action_columns(),
    ]


def record_action_columns() -> list[sa.Column]:
    """Return the columns migration 0002 added: groups, consents, the lock, anonymization."""
    return [
        sa.Column("groups", JSONValue, nullable=True),
        sa.Column("consents", JSONValue, nullable=True),
        uuid_ref("locked_by", nullable=True),
        sa.Column("locked_by_name", sa.String(200), nullable=True),
        sa.Column("locked_at", UTCDateTime(), nullable=True),
        sa.Column("anonymized_at", UTCDateTime(), nullable=True),
    ]


persons = sa.Table(
    "persons",
    metadata,
    *_contact_columns(),
    sa.Column("first_name", sa.String(200), nullable=True),
    sa.Column("last_name", sa.String(200), nullable=True),
    sa.Column("position", sa.String(200), nullable=True),
    uuid_ref("company_id", nullable=True, index=True),
    sa.Index("ix_persons_sort_name", "sort_name", "id"),
    sa.Index("ix_persons_owner", "owner_id", "sort_name", "id"),
    sa.Index("ix_persons_created", "created_at", "id"),
)

companies = sa.Table(
    "companies",
    metadata,
    *_contact_columns(),
    sa.Column("name", sa.String(300), nullable=False),
    sa.Column("reg_id", sa.String(20), nullable=True, index=True),
    sa.Column("vat_id", sa.String(20), nullable=True),
    sa.Column("website", sa.String(500), nullable=True),
    sa.Index("ix_companies_sort_name", "sort_name", "id"),
    sa.Index("ix_companies_owner", "owner_id", "sort_name", "id"),
    sa.Index("ix_companies_created", "created_at", "id"),
)

contact_tags = sa.Table(
    "contact_tags",
    metadata,
    sa.Column("tag", sa.String(100), primary_key=True),
    sa.Column("kind", sa.String(20), primary_key=True),
    uuid_key("contact_id"),
    sa.Index("ix_contact_tags_contact", "contact_id"),
)

groups = sa.Table(
    "groups",
    metadata,
    *record_key(),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("description", sa.Text(), nullable=True),
    *stamps(),
    sa.Index("ix_groups_name", "name", "id"),
)

# membership index for filtering by group (the list itself is on the contact, `groups`)
contact_groups = sa.Table(
    "contact_groups",
    metadata,
    uuid_key("group_id"),
    sa.Column("kind", sa.String(20), primary_key=True),
    uuid_key("contact_id"),
    sa.Index("ix_contact_groups_contact", "contact_id"),
)

# which deals, tasks and interactions link a contact, built from their events
contact_links = sa.Table(
    "contact_links",
    metadata,
    uuid_key("contact_id"),
    sa.Column("object_type", sa.String(40), primary_key=True),
    uuid_key("object_id"),
    sa.Column("contact_kind", sa.String(20), nullable=False),
    sa.Column("object_name", sa.String(300), nullable=True),
    sa.Index("ix_contact_links_object", "object_type", "object_id"),
)

# the newest event sequence applied per linking object: older events are ignored
link_sources = sa.Table(
    "link_sources",
    metadata,
    sa.Column("object_type", sa.String(40), primary_key=True),
    uuid_key("object_id"),
    sa.Column("sequence", sa.Integer(), nullable=False),
    sa.Column("deleted", sa.Boolean(), nullable=False),
)

# an import of one file (CON-16): who started it, its progress, and who may be claiming it
import_jobs = sa.Table(
    "import_jobs",
    metadata,
    uuid_key(),
    sa.Column("kind", sa.String(20), nullable=False),
    sa.Column("filename", sa.String(300), nullable=False),
    sa.Column("status", sa.String(20), nullable=False),
    sa.Column("importer", JSONValue, nullable=False),
    sa.Column("owners", JSONValue, nullable=False),
    sa.Column("correlation_id", sa.String(200), nullable=False),
    sa.Column("total", sa.Integer(), nullable=False),
    sa.Column("processed", sa.Integer(), nullable=False),
    sa.Column("created", sa.Integer(), nullable=False),
    sa.Column("skipped", sa.Integer(), nullable=False),
    sa.Column("invalid", sa.Integer(), nullable=False),
    sa.Column("error", sa.Text(), nullable=True),
    # a worker holds a job until then; past it, another worker resumes the job after its last batch
    sa.Column("claimed_until", UTCDateTime(), nullable=True),
    sa.Column("created_at", UTCDateTime(), nullable=False),
    sa.Column("updated_at", UTCDateTime(), nullable=False),
    sa.Index("ix_import_jobs_status", "status", "created_at"),
)

#: JSON whose None is SQL NULL (not JSON null), so `IS NULL` finds the rows without errors
JSONOrNull = sa.JSON(none_as_null=True).with_variant(postgresql.JSONB(none_as_null=True), "postgresql")

# the rows of an import's file in file order (`ordinal`); values are dropped once the job is done
import_rows = sa.Table(
    "import_rows",
    metadata,
    uuid_key("job_id"),
    sa.Column("ordinal", sa.Integer(), primary_key=True, autoincrement=False),
    sa.Column("row_number", sa.Integer(), nullable=False),
    sa.Column("values", JSONOrNull, nullable=True),
    sa.Column("errors", JSONOrNull, nullable=True),
)

# one key per imported row (domain/imports.py `import_key`): the same row again is skipped
import_keys = sa.Table(
    "import_keys",
    metadata,
    sa.Column("key", sa.String(64), primary_key=True),
    sa.Column("kind", sa.String(20), nullable=False),
    uuid_ref("owner_id"),
    uuid_ref("contact_id"),
    uuid_ref("job_id"),
    sa.Column("created_at", UTCDateTime(), nullable=False),
)

outbox = outbox_table(metadata)
inbox = inbox_table(metadata)

TABLES = {"person": persons, "company": companies}
