"""The copy of task templates that processes name for won and lost deals.

Revision ID: 0002p
Revises: 0001
Create Date: 2026-11-23
"""
import sqlalchemy as sa
from alembic import op

from crm_shared.types import UTCDateTime

revision = "0002p"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "task_templates",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("name", sa.String(300), nullable=True),
        sa.Column("pending", sa.Boolean(), nullable=False),
        sa.Column("gone", sa.Boolean(), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("task_templates")
