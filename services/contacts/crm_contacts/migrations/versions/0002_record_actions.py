"""Groups, consents, locks, anonymization, and the record of links from other services (2026-11-22)."""
import sqlalchemy as sa
from alembic import op

from crm_shared.columns import record_key, stamps, uuid_key, uuid_ref
from crm_shared.types import JSONValue, UTCDateTime

revision = "0002"
down_revision = "0001"


def _record_action_columns() -> list[sa.Column]:
    return [
        sa.Column("groups", JSONValue, nullable=True),
        sa.Column("consents", JSONValue, nullable=True),
        uuid_ref("locked_by", nullable=True),
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
        *record_key(),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        *stamps(),
    )
    op.create_index("ix_groups_name", "groups", ["name", "id"])
    op.create_table(
        "contact_groups",
        uuid_key("group_id"),
        sa.Column("kind", sa.String(20), primary_key=True),
        uuid_key("contact_id"),
    )
    op.create_index("ix_contact_groups_contact", "contact_groups", ["contact_id"])
    op.create_table(
        "contact_links",
        uuid_key("contact_id"),
        sa.Column("object_type", sa.String(40), primary_key=True),
        uuid_key("object_id"),
        sa.Column("contact_kind", sa.String(20), nullable=False),
        sa.Column("object_name", sa.String(300), nullable=True),
    )
    op.create_index("ix_contact_links_object", "contact_links", ["object_type", "object_id"])
    op.create_table(
        "link_sources",
        sa.Column("object_type", sa.String(40), primary_key=True),
        uuid_key("object_id"),
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
