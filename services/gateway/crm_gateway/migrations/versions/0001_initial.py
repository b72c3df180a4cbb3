"""The users of the suite: credentials, roles and the manager relation (2026-11-22)."""
from alembic import op
import sqlalchemy as sa

from crm_shared.columns import uuid_key, uuid_ref
from crm_shared.types import UTCDateTime

revision = "0001"
down_revision = None


def upgrade() -> None:
    op.create_table(
        "users",
        uuid_key(),
        sa.Column("username", sa.String(150), nullable=False),
        sa.Column("password_hash", sa.String(255), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("email", sa.String(320), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        uuid_ref("manager_id", nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False, server_default=sa.true()),
        sa.UniqueConstraint("username", name="uq_users_username"),
        sa.ForeignKeyConstraint(["manager_id"], ["users.id"], name="fk_users_manager_id"),
        sa.CheckConstraint("role IN ('admin', 'manager', 'user')", name="ck_users_role"),
    )
    op.create_index("ix_users_manager_id", "users", ["manager_id"])


def downgrade() -> None:
    op.drop_index("ix_users_manager_id", table_name="users")
    op.drop_table("users")
