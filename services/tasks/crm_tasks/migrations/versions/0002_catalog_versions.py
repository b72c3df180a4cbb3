"""Versions of task statuses and of the settings, the sequence of their events (2026-12-01)."""
import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"


def upgrade() -> None:
    for table in ("task_statuses", "task_settings"):
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("version", sa.Integer(), nullable=False, server_default="1"))


def downgrade() -> None:
    for table in ("task_settings", "task_statuses"):
        with op.batch_alter_table(table) as batch:
            batch.drop_column("version")
