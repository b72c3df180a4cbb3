"""Insert-or-update and insert-if-absent, the same on PostgreSQL and SQLite (`ON CONFLICT`)."""
from __future__ import annotations

from typing import Any, Iterable, Mapping, Sequence

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection


def insert(connection: Connection, table: sa.Table) -> Any:
    """Return the dialect's INSERT of `table`, the one that knows `ON CONFLICT`."""
    dialect = postgresql if connection.dialect.name == "postgresql" else sqlite
    return dialect.insert(table)


def insert_missing(
    connection: Connection, table: sa.Table, rows: Mapping[str, Any] | Sequence[Mapping[str, Any]],
    *, keys: Iterable[str] | None = None,
) -> sa.CursorResult[Any]:
    """Insert rows whose key is not taken yet; the others are left as they are."""
    statement = insert(connection, table).on_conflict_do_nothing(index_elements=list(keys) if keys else None)
    return connection.execute(statement, rows if isinstance(rows, Sequence) else [rows])


def upsert(
    connection: Connection, table: sa.Table, values: Mapping[str, Any], *, keys: Iterable[str],
    update: Iterable[str] | None = None,
) -> None:
    """Insert a row, or update the row with the same `keys` (all other given columns, or `update`)."""
    key_names = list(keys)
    statement = insert(connection, table).values(dict(values))
    changed = list(update) if update is not None else [name for name in values if name not in key_names]
    connection.execute(statement.on_conflict_do_update(
        index_elements=key_names, set_={name: statement.excluded[name] for name in changed}))
