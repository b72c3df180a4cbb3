"""The subjects whose personal values were erased, for redacting late entries (2026-11-22)."""
import sqlalchemy as sa
from alembic import op

from crm_shared.types import UTCDateTime

revision = "0002"
down_revision = "0001"


def upgrade() -> None:
    """Create the table of anonymized subjects."""
    op.create_table(
        "anonymized_subjects",
        sa.Column("object_type", sa.String(64), primary_key=True),
        sa.Column("object_id", sa.String(100), primary_key=True),
        sa.Column("anonymized_at", UTCDateTime(), nullable=False),
        sa.Column("event_id", sa.String(36), nullable=False),
    )


def downgrade() -> None:
    """Drop the table of anonymized subjects."""
    op.drop_table("anonymized_subjects")
