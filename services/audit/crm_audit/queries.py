"""The audit log's read use cases: a page of entries, one entry, the export file."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Iterator

from sqlalchemy.engine import Engine

from crm_audit.adapters import repository
from crm_audit.domain.entries import AuditEntry, EntryFilter
from crm_audit.domain.export_rows import COLUMN_WIDTHS, HEADER, SHEET_NAME, Row, flatten
from crm_shared.pagination import decode_cursor, page
from crm_shared.problems import NotFound
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
        key = decode_cursor(cursor, (datetime, str))
        after = (key[0], key[1]) if key is not None else None
        with self.engine.connect() as connection:
            items = repository.page(connection, where, after=after, limit=limit + 1)
        return Page(*page(items, limit, repository.sort_key))

    def entry(self, entry_id: str) -> AuditEntry:
        """Return one entry or raise NotFound."""
        with self.engine.connect() as connection:
            entry = repository.get(connection, entry_id)
        if entry is None:
            raise NotFound(f"There is no audit entry {entry_id}.")
        return entry

    def after(self, seq: int, where: EntryFilter | None, limit: int, upto: int | None = None) -> list[AuditEntry]:
        """Return up to `limit` entries stored after sequence `seq` (at most `upto`), oldest first."""
        with self.engine.connect() as connection:
            return repository.after(connection, seq, where, limit=limit, upto=upto)

    def last_seq(self) -> int:
        """Return the sequence number of the last entry stored."""
        with self.engine.connect() as connection:
            return repository.last_seq(connection)

    def export(self, where: EntryFilter, file_format: str) -> ExportFile:
        """Return the filtered log as an xlsx or csv file, built without holding it in memory."""
        filename = f"audit-log-{utcnow():%Y%m%dT%H%M%SZ}.{file_format}"
        return table_export(filename, file_format, HEADER, self.rows(where),
                            sheet_name=SHEET_NAME, column_widths=COLUMN_WIDTHS)

    def rows(self, where: EntryFilter) -> Iterator[Row]:
        """Yield the export rows of the filtered log, reading the entries in chunks."""
        with self.engine.connect() as connection:
            yield from flatten(repository.stream(connection, where))
