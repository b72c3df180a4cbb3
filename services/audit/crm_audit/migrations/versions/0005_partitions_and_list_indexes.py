"""The log at scale: an index per filter combination, and monthly partitions on PostgreSQL (2026-12-01).

Every combination of the list's user, object type and operation filters gets its index (the
filters, then occurred_at, id), so each page is one range scan in list order. On PostgreSQL the
entries move into a table partitioned by month of `occurred_at` (a default partition takes what
no month holds; the months from the oldest entry to three ahead are created), so retention is a
drop of old partitions. Its primary key becomes (id, occurred_at): a partitioned table's unique
keys must hold the partition key, and an event's time never changes, so it dedupes the same.
`seq` keeps an index, no longer unique: its one writer numbers every entry once. The rows are
copied over in the migration's transaction; on a large log, plan for the time that takes.
"""
from datetime import datetime, timezone

import sqlalchemy as sa
from alembic import op

from crm_audit.adapters import partitions
from crm_audit.domain.retention import add_months, month_start

revision = "0005"
down_revision = "0004"

#: the indexes of 0001 and 0003 the plain table had
OLD_INDEXES = {
    "ix_audit_entries_occurred_at_id": ["occurred_at", "id"],
    **{f"ix_audit_entries_{name}_occurred_at_id": [name, "occurred_at", "id"]
       for name in ("user_id", "object_type", "object_id", "operation")},
}
#: the filter combinations this migration adds an index for
NEW_COMBINATIONS = [
    ("user_id", "object_type"), ("user_id", "operation"), ("object_type", "operation"),
    ("user_id", "object_type", "operation"),
]
NEW_INDEXES = {f"ix_audit_entries_{'_'.join(names)}_occurred_at_id": [*names, "occurred_at", "id"]
               for names in NEW_COMBINATIONS}


def upgrade() -> None:
    """Add the combined indexes; on PostgreSQL, move the entries into monthly partitions."""
    if op.get_bind().dialect.name == "postgresql":
        _partition()
    else:
        op.drop_index("ux_audit_entries_seq", table_name="audit_entries")
        op.create_index("ix_audit_entries_seq", "audit_entries", ["seq"])
    for name, columns in NEW_INDEXES.items():
        op.create_index(name, "audit_entries", columns)


def downgrade() -> None:
    """Drop the combined indexes; on PostgreSQL, put the entries back into one plain table."""
    for name in NEW_INDEXES:
        op.drop_index(name, table_name="audit_entries")
    if op.get_bind().dialect.name == "postgresql":
        _unpartition()
    else:
        op.drop_index("ix_audit_entries_seq", table_name="audit_entries")
        op.create_index("ux_audit_entries_seq", "audit_entries", ["seq"], unique=True)


def _partition() -> None:
    bind = op.get_bind()
    for name in [*OLD_INDEXES, "ux_audit_entries_seq"]:
        op.drop_index(name, table_name="audit_entries")
    op.execute("ALTER TABLE audit_entries RENAME TO audit_entries_unpartitioned")
    op.execute("ALTER TABLE audit_entries_unpartitioned DROP CONSTRAINT audit_entries_pkey")
    op.execute("CREATE TABLE audit_entries (LIKE audit_entries_unpartitioned INCLUDING DEFAULTS) "
               "PARTITION BY RANGE (occurred_at)")
    op.execute("ALTER TABLE audit_entries ADD CONSTRAINT audit_entries_pkey PRIMARY KEY (id, occurred_at)")
    op.execute(f"CREATE TABLE {partitions.DEFAULT_PARTITION} PARTITION OF audit_entries DEFAULT")
    now = datetime.now(timezone.utc)
    oldest = bind.execute(sa.text("SELECT min(occurred_at) FROM audit_entries_unpartitioned")).scalar()
    partitions.create_months(bind, month_start(oldest or now),
                             add_months(month_start(now), partitions.AHEAD_MONTHS))
    op.execute("INSERT INTO audit_entries SELECT * FROM audit_entries_unpartitioned")
    op.execute("DROP TABLE audit_entries_unpartitioned")
    # built after the copy: one sort per index instead of an insert per row
    for name, columns in OLD_INDEXES.items():
        op.create_index(name, "audit_entries", columns)
    op.create_index("ix_audit_entries_seq", "audit_entries", ["seq"])


def _unpartition() -> None:
    op.execute("CREATE TABLE audit_entries_plain (LIKE audit_entries INCLUDING DEFAULTS)")
    op.execute("INSERT INTO audit_entries_plain SELECT * FROM audit_entries")
    op.execute("DROP TABLE audit_entries")  # its partitions and indexes with it
    op.execute("ALTER TABLE audit_entries_plain RENAME TO audit_entries")
    op.execute("ALTER TABLE audit_entries ADD CONSTRAINT audit_entries_pkey PRIMARY KEY (id)")
    for name, columns in OLD_INDEXES.items():
        op.create_index(name, "audit_entries", columns)
    op.create_index("ux_audit_entries_seq", "audit_entries", ["seq"], unique=True)
