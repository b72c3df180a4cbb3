"""The audit service's tables: the entries, the consumer's tracking rows and the live tail's stream tickets."""
from __future__ import annotations

import itertools

import sqlalchemy as sa

from crm_shared.columns import uuid_key
from crm_shared.inbox import inbox_table
from crm_shared.ticket_store import stream_tickets_table
from crm_shared.types import JSONValue, UTCDateTime

metadata = sa.MetaData()

#: the columns a list filter may name by equality
FILTER_COLUMNS = ("user_id", "object_type", "object_id", "operation")
#: the filters whose every combination has an index (the combination, then occurred_at, id)
COMBINED_FILTERS = ("user_id", "object_type", "operation")


def list_index_columns() -> list[tuple[str, ...]]:
    """Return the leading columns of the list's filtered indexes: each combination, and the object."""
    combinations = [
        combination for size in range(1, len(COMBINED_FILTERS) + 1)
        for combination in itertools.combinations(COMBINED_FILTERS, size)
    ]
    return [*combinations, ("object_id",)]


audit_entries = sa.Table(
    "audit_entries",
    metadata,
    uuid_key(),
    sa.Column("occurred_at", UTCDateTime(), nullable=False),
    sa.Column("user_id", sa.String(100), nullable=False),
    sa.Column("user_name", sa.String(), nullable=False),
    sa.Column("channel", sa.String(32), nullable=False),
    sa.Column("object_type", sa.String(64), nullable=False),
    sa.Column("object_id", sa.String(100), nullable=False),
    sa.Column("object_name", sa.String(), nullable=True),
    sa.Column("object_link", sa.String(), nullable=True),
    sa.Column("operation", sa.String(64), nullable=False),
    sa.Column("changes", JSONValue, nullable=False),
    sa.Column("correlation_id", sa.String(), nullable=False),
    sa.Column("source", sa.String(), nullable=False),
    sa.Column("recorded_at", UTCDateTime(), nullable=False),
    # the insertion sequence (assigned at commit by the consumer): the live tail's resume key
    sa.Column("seq", sa.BigInteger(), nullable=False),
    # a restore's entry (AUD-8) points at the entry whose `before` value it put back
    sa.Column("restored_from", sa.String(36), nullable=True),
)

# Keyset pagination walks (occurred_at, id) backwards. Each combination of the list's equality
# filters on user, object type and operation has an index of its own, those columns and then
# (occurred_at, id): whatever the filters, a page — the first or the thousandth — is one index
# range scan in list order, with no sort and no rows filtered away. A filter naming an object
# uses the object's index (object_id, occurred_at, id): one object's entries are few, so other
# filters beside it sift through those alone. On PostgreSQL the table is partitioned by month
# of occurred_at (adapters/partitions.py), and every index is one per partition.
sa.Index("ix_audit_entries_occurred_at_id", audit_entries.c.occurred_at, audit_entries.c.id)
for _columns in list_index_columns():
    sa.Index(
        f"ix_audit_entries_{'_'.join(_columns)}_occurred_at_id",
        *(audit_entries.c[name] for name in _columns),
        audit_entries.c.occurred_at,
        audit_entries.c.id,
    )

# Not unique: the one-writer counter hands every number out once, and a partitioned table's
# unique indexes would have to include the partition key anyway.
sa.Index("ix_audit_entries_seq", audit_entries.c.seq)

# The last sequence number handed out; its one row is locked by the writing transaction until commit.
audit_sequence = sa.Table(
    "audit_sequence",
    metadata,
    sa.Column("id", sa.Integer(), primary_key=True),
    sa.Column("last", sa.BigInteger(), nullable=False),
)

# Subjects whose personal values were erased (CON-4): an entry of one of them that
# arrives late (out of order) is redacted before it is stored.
anonymized_subjects = sa.Table(
    "anonymized_subjects",
    metadata,
    sa.Column("object_type", sa.String(64), primary_key=True),
    sa.Column("object_id", sa.String(100), primary_key=True),
    sa.Column("anonymized_at", UTCDateTime(), nullable=False),
    sa.Column("event_id", sa.String(36), nullable=False),
)

# The objects an entry's values name besides its own (a deal's links carry a person's name):
# anonymizing one of them redacts these entries too (CON-4).
audit_mentions = sa.Table(
    "audit_mentions",
    metadata,
    sa.Column("object_type", sa.String(64), primary_key=True),
    sa.Column("object_id", sa.String(100), primary_key=True),
    sa.Column("entry_id", sa.String(36), primary_key=True),
    sa.Column("occurred_at", UTCDateTime(), nullable=False),
)

inbox = inbox_table(metadata)

# single-use tickets that open the live tail from a browser, whose EventSource sends no token
stream_tickets = stream_tickets_table(metadata)
