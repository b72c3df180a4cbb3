"""The spreadsheet view of the audit log: one row per changed field, every value as text."""
from __future__ import annotations

import json
from datetime import datetime
from typing import Any, Iterable, Iterator

from crm_shared.tabular import cells

from crm_audit.domain.entries import AuditEntry

HEADER = ("Date", "User", "Object type", "Object", "Link", "Operation", "Field", "Before", "After")
#: the workbook's sheet name and column widths, in the order of HEADER
SHEET_NAME = "Audit log"
COLUMN_WIDTHS = (20, 24, 12, 32, 40, 12, 20, 40, 40)

#: Date, then eight text cells in the order of HEADER
Row = tuple[datetime, str, str, str, str, str, str, str, str]


def rows_of(entry: AuditEntry) -> list[Row]:
    """Return the export rows of one entry; an entry without field changes gives one row."""
    head = (
        entry.occurred_at,
        entry.user_name or entry.user_id,
        entry.object_type,
        entry.object_name or entry.object_id,
        entry.object_link or "",
        entry.operation,
    )
    if not entry.changes:
        return [(*head, "", "", "")]
    return [
        (*head, str(change["field"]), cell_text(change.get("before")), cell_text(change.get("after")))
        for change in entry.changes
    ]


def flatten(entries: Iterable[AuditEntry]) -> Iterator[Row]:
    """Yield the export rows of many entries, in their order."""
    for entry in entries:
        yield from rows_of(entry)


def cell_text(value: Any) -> str:
    """Render a value as cell text: lists joined by ", ", objects as sorted compact JSON, the rest as any cell."""
    if isinstance(value, list):
        return ", ".join(cell_text(item) for item in value)
    if isinstance(value, dict):
        # sorted: jsonb does not keep key order, and both backends must give the same file
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return cells.cell_text(value)
