"""The copy of task templates that processes name for won and lost deals (2026-11-23)."""
import sqlalchemy as sa
from alembic import op

from crm_shared.columns import uuid_key
from crm_shared.types import UTCDateTime

revision = "0002p"
down_revision = "0001"


def upgrade() -> None:
    op.create_table(
        "task_templates",
        uuid_key(),
        sa.Column("name", sa.String(300), nullable=True),
        sa.Column("pending", sa.Boolean(), nullable=False),
        sa.Column("gone", sa.Boolean(), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("task_templates")
