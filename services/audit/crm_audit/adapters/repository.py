"""Reading and writing audit entries with SQLAlchemy Core, inside the caller's transaction."""
from __future__ import annotations

from datetime import datetime
from typing import Any, Iterable, Iterator

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection

from crm_audit.adapters.tables import FILTER_COLUMNS, audit_entries
from crm_audit.domain.entries import AuditEntry, EntryFilter
from crm_shared.types import UTCDateTime

#: the sort key of the list, newest first: (occurred_at, id)
SortKey = tuple[datetime, str]

_COLUMNS = [column.name for column in audit_entries.columns]


def add_all(connection: Connection, entries: Iterable[AuditEntry]) -> None:
    """Insert entries with one executemany; an entry whose id is stored already stays as it is."""
    rows = [{name: getattr(entry, name) for name in _COLUMNS} for entry in entries]
    if not rows:
        return
    dialect = postgresql if connection.dialect.name == "postgresql" else sqlite
    connection.execute(dialect.insert(audit_entries).on_conflict_do_nothing(index_elements=["id"]), rows)


def get(connection: Connection, entry_id: str) -> AuditEntry | None:
    """Return one entry by its id (the event id), or None."""
    row = connection.execute(sa.select(audit_entries).where(audit_entries.c.id == entry_id)).first()
    return _entry(row._mapping) if row else None


def page(
    connection: Connection, where: EntryFilter, *, after: SortKey | None, limit: int
) -> list[AuditEntry]:
    """Return up to `limit` entries newest first, starting after the sort key of the previous page."""
    statement = _select(where).limit(limit)
    if after is not None:
        # A row-value comparison is one index range condition; spelled as
        # "t < x OR (t = x AND id < y)" the planners would not use the index as well.
        key = sa.tuple_(sa.literal(after[0], UTCDateTime()), sa.literal(after[1], sa.String()))
        statement = statement.where(sa.tuple_(audit_entries.c.occurred_at, audit_entries.c.id) < key)
    return [_entry(row) for row in connection.execute(statement).mappings()]


def stream(connection: Connection, where: EntryFilter, *, chunk: int = 1000) -> Iterator[AuditEntry]:
    """Yield every matching entry newest first, fetched `chunk` rows at a time (server-side cursor)."""
    result = connection.execution_options(yield_per=chunk).execute(_select(where))
    try:
        for row in result.mappings():
            yield _entry(row)
    finally:
        result.close()


def sort_key(entry: AuditEntry) -> SortKey:
    """Return the entry's position in the newest-first order."""
    return (entry.occurred_at, entry.id)


def _select(where: EntryFilter) -> sa.Select[Any]:
    table = audit_entries
    statement = sa.select(table).order_by(table.c.occurred_at.desc(), table.c.id.desc())
    if where.occurred_from is not None:
        statement = statement.where(table.c.occurred_at >= where.occurred_from)
    if where.occurred_to is not None:
        statement = statement.where(table.c.occurred_at < where.occurred_to)
    for name in FILTER_COLUMNS:
        value = getattr(where, name)
        if value is not None:
            statement = statement.where(table.c[name] == value)
    return statement


def _entry(row: Any) -> AuditEntry:
    return AuditEntry(**{name: row[name] for name in _COLUMNS})
