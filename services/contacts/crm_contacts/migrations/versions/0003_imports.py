"""Import jobs, their rows, and the key of every imported row (2026-12-02)."""
import sqlalchemy as sa
from alembic import op

from crm_shared.columns import uuid_key, uuid_ref
from crm_shared.types import JSONValue, UTCDateTime

revision = "0003"
down_revision = "0002"


def upgrade() -> None:
    op.create_table(
        "import_jobs",
        uuid_key(),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("filename", sa.String(300), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("importer", JSONValue, nullable=False),
        sa.Column("owners", JSONValue, nullable=False),
        sa.Column("correlation_id", sa.String(200), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("processed", sa.Integer(), nullable=False),
        sa.Column("created", sa.Integer(), nullable=False),
        sa.Column("skipped", sa.Integer(), nullable=False),
        sa.Column("invalid", sa.Integer(), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("claimed_until", UTCDateTime(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
    )
    op.create_index("ix_import_jobs_status", "import_jobs", ["status", "created_at"])
    op.create_table(
        "import_rows",
        uuid_key("job_id"),
        sa.Column("ordinal", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("row_number", sa.Integer(), nullable=False),
        sa.Column("values", JSONValue, nullable=True),
        sa.Column("errors", JSONValue, nullable=True),
    )
    op.create_table(
        "import_keys",
        sa.Column("key", sa.String(64), primary_key=True),
        sa.Column("kind", sa.String(20), nullable=False),
        uuid_ref("owner_id"),
        uuid_ref("contact_id"),
        uuid_ref("job_id"),
        sa.Column("created_at", UTCDateTime(), nullable=False),
    )


def downgrade() -> None:
    for table in ("import_keys", "import_rows", "import_jobs"):
        op.drop_table(table)
