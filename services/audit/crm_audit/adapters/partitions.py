"""The audit log's monthly partitions on PostgreSQL: created ahead of time, dropped past retention.

On PostgreSQL `audit_entries` is partitioned by range of `occurred_at`, one partition per UTC
month (`audit_entries_p202612`), plus a default partition that takes any row no month holds
(an event from before the oldest partition, or far ahead), so that no insert ever fails.
Dropping a month past the retention period is a `DROP TABLE` of its partition, however many
entries it holds. SQLite keeps one plain table; there retention deletes the old rows.
"""
from __future__ import annotations

import re
from datetime import datetime, timezone

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from crm_audit.domain.retention import add_months, month_start
from crm_shared.types import UTCDateTime

TABLE = "audit_entries"
DEFAULT_PARTITION = "audit_entries_default"
#: months created ahead of the current one, so that the month turning never meets a missing partition
AHEAD_MONTHS = 3
_NAME = re.compile(r"^audit_entries_p(\d{4})(\d{2})$")
# One maintainer at a time: consumers on several machines may all try it.
_LOCK = sa.text("SELECT pg_try_advisory_xact_lock(hashtext('crm-audit-partitions'))")
_CHILDREN = sa.text(
    "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
    "WHERE i.inhparent = CAST(:table AS regclass)"
)


def partition_name(month: datetime) -> str:
    """Return the name of the partition holding the entries of `month`."""
    return f"{TABLE}_p{month:%Y%m}"


def is_partitioned(connection: Connection) -> bool:
    """Tell whether the entries are in a partitioned table (PostgreSQL) or a plain one."""
    if connection.dialect.name != "postgresql":
        return False
    kind = connection.execute(sa.text("SELECT relkind FROM pg_class WHERE oid = CAST(:t AS regclass)"),
                              {"t": TABLE}).scalar_one()
    return kind == "p"


def months(connection: Connection) -> dict[datetime, str]:
    """Return the monthly partitions by their month's first moment (UTC)."""
    found = {}
    for name in connection.execute(_CHILDREN, {"table": TABLE}).scalars():
        match = _NAME.match(name)
        if match:
            found[datetime(int(match[1]), int(match[2]), 1, tzinfo=timezone.utc)] = name
    return found


def create_months(connection: Connection, first: datetime, last: datetime) -> list[str]:
    """Create the partitions of every month from `first` to `last` that is missing; return their names."""
    have = months(connection)
    created = []
    month = month_start(first)
    while month <= last:
        if month not in have:
            created.append(_create_month(connection, month))
        month = add_months(month, 1)
    return created


def maintain(connection: Connection, now: datetime, cutoff: datetime | None) -> list[str]:
    """Create the months ahead and drop those ending by `cutoff` (None: keep all); return what changed.

    Does nothing when another process holds the maintenance lock (it is doing the same).
    """
    if is_partitioned(connection):
        if not connection.execute(_LOCK).scalar_one():
            return []
        changed = [f"created {name}" for name in create_months(
            connection, month_start(now), add_months(month_start(now), AHEAD_MONTHS))]
    else:
        changed = []
    if cutoff is not None:
        changed += _drop_before(connection, cutoff)
    return changed


def _create_month(connection: Connection, month: datetime) -> str:
    name, end = partition_name(month), add_months(month, 1)
    bounds = {"start": month, "end": end}
    connection.execute(sa.text(f"CREATE TABLE {name} (LIKE {TABLE} INCLUDING DEFAULTS)"))
    # Rows the default partition took for this month (late or early events) move in first:
    # a partition cannot be attached over rows the default partition still holds for its range.
    connection.execute(sa.text(
        f"WITH moved AS (DELETE FROM {DEFAULT_PARTITION} WHERE occurred_at >= :start AND occurred_at < :end "
        f"RETURNING *) INSERT INTO {name} SELECT * FROM moved"
    ), bounds)
    connection.execute(sa.text(
        f"ALTER TABLE {TABLE} ATTACH PARTITION {name} "
        f"FOR VALUES FROM ('{month.isoformat()}') TO ('{end.isoformat()}')"
    ))
    return name


def _drop_before(connection: Connection, cutoff: datetime) -> list[str]:
    dropped = []
    if is_partitioned(connection):
        for month, name in sorted(months(connection).items()):
            if add_months(month, 1) <= cutoff:
                connection.execute(sa.text(f"DROP TABLE {name}"))
                dropped.append(f"dropped {name}")
    # what is left: the default partition's old rows (or, on SQLite, the table's), and the mentions
    deleted = _delete_before(connection, DEFAULT_PARTITION if is_partitioned(connection) else TABLE, cutoff)
    _delete_before(connection, "audit_mentions", cutoff)
    return dropped + ([f"deleted {deleted} entries before {cutoff.isoformat()}"] if deleted else [])


def _delete_before(connection: Connection, name: str, cutoff: datetime) -> int:
    table = sa.table(name, sa.column("occurred_at", UTCDateTime()))
    return connection.execute(table.delete().where(table.c.occurred_at < cutoff)).rowcount
