"""Persons, companies, the tag index, outbox and inbox (2026-11-22)."""
import sqlalchemy as sa
from alembic import op

from crm_shared.columns import record_key, stamps, uuid_key, uuid_ref
from crm_shared.migration_ops import create_inbox_v1, create_outbox_v1
from crm_shared.types import JSONValue

revision = "0001"
down_revision = None


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
        sa.Column("sort_name", sa.String(420), nullable=False),
        sa.Column("search_text", sa.Text(), nullable=False),
        *stamps(),
    ]


def upgrade() -> None:
    op.create_table(
        "persons",
        *_contact_columns(),
        sa.Column("first_name", sa.String(200), nullable=True),
        sa.Column("last_name", sa.String(200), nullable=True),
        sa.Column("position", sa.String(200), nullable=True),
        uuid_ref("company_id", nullable=True),
    )
    op.create_index("ix_persons_company_id", "persons", ["company_id"])
    op.create_index("ix_persons_sort_name", "persons", ["sort_name", "id"])
    op.create_index("ix_persons_owner", "persons", ["owner_id", "sort_name", "id"])
    op.create_index("ix_persons_created", "persons", ["created_at", "id"])
    op.create_table(
        "companies",
        *_contact_columns(),
        sa.Column("name", sa.String(300), nullable=False),
        sa.Column("reg_id", sa.String(20), nullable=True),
        sa.Column("vat_id", sa.String(20), nullable=True),
        sa.Column("website", sa.String(500), nullable=True),
    )
    op.create_index("ix_companies_reg_id", "companies", ["reg_id"])
    op.create_index("ix_companies_sort_name", "companies", ["sort_name", "id"])
    op.create_index("ix_companies_owner", "companies", ["owner_id", "sort_name", "id"])
    op.create_index("ix_companies_created", "companies", ["created_at", "id"])
    op.create_table(
        "contact_tags",
        sa.Column("tag", sa.String(100), primary_key=True),
        sa.Column("kind", sa.String(20), primary_key=True),
        uuid_key("contact_id"),
    )
    op.create_index("ix_contact_tags_contact", "contact_tags", ["contact_id"])
    create_outbox_v1()
    create_inbox_v1()


def downgrade() -> None:
    for table in ("inbox", "outbox", "contact_tags", "companies", "persons"):
        op.drop_table(table)
