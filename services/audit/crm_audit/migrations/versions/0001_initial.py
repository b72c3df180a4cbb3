"""The audit entries and the consumer's inbox (2026-11-22)."""
import sqlalchemy as sa
from alembic import op

from crm_shared.columns import uuid_key
from crm_shared.migration_ops import create_inbox_v1
from crm_shared.types import JSONValue, UTCDateTime

revision = "0001"
down_revision = None

FILTER_COLUMNS = ("user_id", "object_type", "object_id", "operation")


def upgrade() -> None:
    """Create the entries with an index per list filter, and the inbox."""
    op.create_table(
        "audit_entries",
        uuid_key(),
        sa.Column("occurred_at", UTCDateTime(), nullable=False),
        sa.Column("user_id", sa.String(100), nullable=False),
        sa.Column("user_name", sa.String(), nullable=False),
        sa.Column("channel", sa.String(32), nullable=False),
        sa.Column("object_type", sa.String(64), nullable=False),
        sa.Column("object_id", sa.String(100), nullable=False),
        sa.Column("object_name", sa.String(), nullable=True),
        sa.Column("object_link", sa.String(), nullable=True),
        sa.Column("operation", sa.String(64), nullable=False),
        sa.Column("changes", JSONValue, nullable=False),
        sa.Column("correlation_id", sa.String(), nullable=False),
        sa.Column("source", sa.String(), nullable=False),
        sa.Column("recorded_at", UTCDateTime(), nullable=False),
    )
    op.create_index("ix_audit_entries_occurred_at_id", "audit_entries", ["occurred_at", "id"])
    for column in FILTER_COLUMNS:
        op.create_index(
            f"ix_audit_entries_{column}_occurred_at_id", "audit_entries", [column, "occurred_at", "id"]
        )
    create_inbox_v1()


def downgrade() -> None:
    """Drop both tables."""
    op.drop_table("inbox")
    for column in FILTER_COLUMNS:
        op.drop_index(f"ix_audit_entries_{column}_occurred_at_id", table_name="audit_entries")
    op.drop_index("ix_audit_entries_occurred_at_id", table_name="audit_entries")
    op.drop_table("audit_entries")
