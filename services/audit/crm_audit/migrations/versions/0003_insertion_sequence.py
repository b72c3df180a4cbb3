"""Every entry's insertion sequence, the key a live tail resumes from (2026-12-01).

Entries can commit out of the order of their times or ids (events arrive late, several
consumers write at once), so a tail resumed by either could skip an entry. The sequence is
assigned by the consumer, the only writer, from a one-row counter whose row lock it holds until
commit: a later number is always committed later, and `seq > last seen` cannot skip.
"""
import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"


def upgrade() -> None:
    """Add `seq`, number the stored entries in the order they were recorded, and start the counter after them."""
    op.create_table("audit_sequence", sa.Column("id", sa.Integer(), primary_key=True),
                    sa.Column("last", sa.BigInteger(), nullable=False))
    op.add_column("audit_entries", sa.Column("seq", sa.BigInteger(), nullable=True))
    bind = op.get_bind()
    numbered = sa.text(
        "SELECT id, row_number() OVER (ORDER BY recorded_at, occurred_at, id) AS n FROM audit_entries"
    )
    rows = [{"i": row.id, "n": row.n} for row in bind.execute(numbered)]
    if rows:
        bind.execute(sa.text("UPDATE audit_entries SET seq = :n WHERE id = :i"), rows)
    bind.execute(sa.text("INSERT INTO audit_sequence (id, last) VALUES (1, :last)"), {"last": len(rows)})
    with op.batch_alter_table("audit_entries") as batch:
        batch.alter_column("seq", existing_type=sa.BigInteger(), nullable=False)
    op.create_index("ux_audit_entries_seq", "audit_entries", ["seq"], unique=True)


def downgrade() -> None:
    """Drop the sequence."""
    op.drop_index("ux_audit_entries_seq", table_name="audit_entries")
    with op.batch_alter_table("audit_entries") as batch:
        batch.drop_column("seq")
    op.drop_table("audit_sequence")
