"""Groups, consents, locks, anonymization, and the record of links from other services.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22
"""
import sqlalchemy as sa
from alembic import op

from crm_shared.types import JSONValue, UTCDateTime

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def _record_action_columns() -> list[sa.Column]:
    return [
        sa.Column("groups", JSONValue, nullable=True),
        sa.Column("consents", JSONValue, nullable=True),
        sa.Column("locked_by", sa.String(36), nullable=True),
        sa.Column("locked_by_name", sa.String(200), nullable=True),
        sa.Column("locked_at", UTCDateTime(), nullable=True),
        sa.Column("anonymized_at", UTCDateTime(), nullable=True),
    ]


def upgrade() -> None:
    for table in ("persons", "companies"):
        with op.batch_alter_table(table) as batch:
            for column in _record_action_columns():
                batch.add_column(column)
    op.create_table(
        "groups",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("created_by", sa.String(36), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.Column("updated_by", sa.String(36), nullable=False),
    )
    op.create_index("ix_groups_name", "groups", ["name", "id"])
    op.create_table(
        "contact_groups",
        sa.Column("group_id", sa.String(36), primary_key=True),
        sa.Column("kind", sa.String(20), primary_key=True),
        sa.Column("contact_id", sa.String(36), primary_key=True),
    )
    op.create_index("ix_contact_groups_contact", "contact_groups", ["contact_id"])
    op.create_table(
        "contact_links",
        sa.Column("contact_id", sa.String(36), primary_key=True),
        sa.Column("object_type", sa.String(40), primary_key=True),
        sa.Column("object_id", sa.String(36), primary_key=True),
        sa.Column("contact_kind", sa.String(20), nullable=False),
        sa.Column("object_name", sa.String(300), nullable=True),
    )
    op.create_index("ix_contact_links_object", "contact_links", ["object_type", "object_id"])
    op.create_table(
        "link_sources",
        sa.Column("object_type", sa.String(40), primary_key=True),
        sa.Column("object_id", sa.String(36), primary_key=True),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
    )


def downgrade() -> None:
    for table in ("link_sources", "contact_links", "contact_groups", "groups"):
        op.drop_table(table)
    for table in ("persons", "companies"):
        with op.batch_alter_table(table) as batch:
            for column in _record_action_columns():
                batch.drop_column(column.name)
