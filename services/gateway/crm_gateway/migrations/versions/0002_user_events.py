"""User changes become events: a version per user for their order, and the gateway's outbox (2026-11-23)."""
from alembic import op
import sqlalchemy as sa

from crm_shared.migration_ops import create_outbox_v1

revision = "0002"
down_revision = "0001"


def upgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("version", sa.Integer(), nullable=False, server_default="1"))
    create_outbox_v1()


def downgrade() -> None:
    op.drop_index("ix_outbox_unpublished", table_name="outbox")
    op.drop_table("outbox")
    with op.batch_alter_table("users") as batch:
        batch.drop_column("version")
