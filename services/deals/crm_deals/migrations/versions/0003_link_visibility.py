"""The owner of each copied contact, and links the linking user could not see (hidden) or not judge yet (2026-12-01)."""
import sqlalchemy as sa
from alembic import op

from crm_shared.types import JSONValue

revision = "0003"
down_revision = "0002p"


def upgrade() -> None:
    # copies made before this revision learn their owner from the contact's next event
    with op.batch_alter_table("contacts") as batch:
        batch.add_column(sa.Column("owner_id", sa.String(36), nullable=True))
    with op.batch_alter_table("deal_links") as batch:
        batch.add_column(sa.Column("hidden", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch.add_column(sa.Column("awaiting", JSONValue, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("deal_links") as batch:
        batch.drop_column("awaiting")
        batch.drop_column("hidden")
    with op.batch_alter_table("contacts") as batch:
        batch.drop_column("owner_id")
