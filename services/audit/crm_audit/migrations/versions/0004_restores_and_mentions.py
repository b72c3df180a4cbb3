"""Which entry a change restored, and which other objects an entry names (2026-12-01).

`restored_from` points a restore's entry (AUD-8) at the entry whose `before` value it put back.
`audit_mentions` lists, per entry, the objects its values name besides its own object (a deal's
or task's links carry a person's name): anonymizing a person redacts those entries too (CON-4).
"""
import sqlalchemy as sa
from alembic import op

from crm_shared.types import UTCDateTime

revision = "0004"
down_revision = "0003"


def upgrade() -> None:
    """Add the restore pointer and the mentions table."""
    op.add_column("audit_entries", sa.Column("restored_from", sa.String(36), nullable=True))
    op.create_table(
        "audit_mentions",
        sa.Column("object_type", sa.String(64), primary_key=True),
        sa.Column("object_id", sa.String(100), primary_key=True),
        sa.Column("entry_id", sa.String(36), primary_key=True),
        sa.Column("occurred_at", UTCDateTime(), nullable=False),
    )


def downgrade() -> None:
    """Drop the mentions table and the restore pointer."""
    op.drop_table("audit_mentions")
    with op.batch_alter_table("audit_entries") as batch:
        batch.drop_column("restored_from")
