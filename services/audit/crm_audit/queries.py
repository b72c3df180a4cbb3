"""The audit log's read use cases: a page of entries, one entry, the export file."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Iterator

from sqlalchemy.engine import Engine

from crm_audit.adapters import repository
from crm_audit.domain.entries import AuditEntry, EntryFilter
from crm_audit.domain.export_rows import COLUMN_WIDTHS, HEADER, SHEET_NAME, Row, flatten
from crm_shared.pagination import decode_cursor, encode_cursor
from crm_shared.problems import NotFound, ValidationFailed
from crm_shared.tabular import TABLE_FORMATS, ExportFile, table_export
from crm_shared.types import utcnow

EXPORT_FORMATS = TABLE_FORMATS


@dataclass(frozen=True)
class Page:
    """One page of the newest-first list and the cursor of the next one."""

    items: list[AuditEntry]
    next_cursor: str | None


class AuditQueries:
    """Read the audit log; each call uses a connection of its own."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def page(self, where: EntryFilter, *, limit: int, cursor: str | None) -> Page:
        """Return the entries after `cursor`, newest first, without counting the rest."""
        after = _cursor_key(cursor)
        with self.engine.connect() as connection:
            items = repository.page(connection, where, after=after, limit=limit + 1)
        if len(items) <= limit:
            return Page(items, None)
        return Page(items[:limit], _cursor(items[limit - 1]))

    def entry(self, entry_id: str) -> AuditEntry:
        """Return one entry or raise NotFound."""
        with self.engine.connect() as connection:
            entry = repository.get(connection, entry_id)
        if entry is None:
            raise NotFound(f"There is no audit entry {entry_id}.")
        return entry

    def export(self, where: EntryFilter, file_format: str) -> ExportFile:
        """Return the filtered log as an xlsx or csv file, built without holding it in memory."""
        filename = f"audit-log-{utcnow():%Y%m%dT%H%M%SZ}.{file_format}"
        return table_export(filename, file_format, HEADER, self.rows(where),
                            sheet_name=SHEET_NAME, column_widths=COLUMN_WIDTHS)

    def rows(self, where: EntryFilter) -> Iterator[Row]:
        """Yield the export rows of the filtered log, reading the entries in chunks."""
        with self.engine.connect() as connection:
            yield from flatten(repository.stream(connection, where))


def _cursor(entry: AuditEntry) -> str:
    occurred_at, entry_id = repository.sort_key(entry)
    return encode_cursor([occurred_at.isoformat(), entry_id])


def _cursor_key(cursor: str | None) -> repository.SortKey | None:
    key = decode_cursor(cursor, 2)
    if key is None:
        return None
    try:
        occurred_at = datetime.fromisoformat(key[0])
    except (TypeError, ValueError):
        occurred_at = None
    if occurred_at is None or occurred_at.tzinfo is None or not isinstance(key[1], str):
        raise ValidationFailed({"cursor": ["Not a cursor returned by this list."]})
    return occurred_at, key[1]
