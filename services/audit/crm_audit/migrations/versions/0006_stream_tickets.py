"""Stream tickets: a browser opens the live tail with a single-use ticket instead of a token (2026-12-01).

The table is the kit's (`crm_shared.ticket_store`), as the counters service keeps it.
"""
from alembic import op

from crm_shared.migration_ops import create_stream_tickets_v1

revision = "0006"
down_revision = "0005"


def upgrade() -> None:
    """Create the tickets table."""
    create_stream_tickets_v1()


def downgrade() -> None:
    """Drop the tickets table."""
    op.drop_table("stream_tickets")
