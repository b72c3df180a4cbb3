"""The audit export as CSV, generated row by row."""
from __future__ import annotations

import csv
import io
from typing import Iterable, Iterator

from crm_audit.domain.export_rows import HEADER, Row, escape_formula

MIMETYPE = "text/csv; charset=utf-8"


def csv_chunks(rows: Iterable[Row], *, rows_per_chunk: int = 500) -> Iterator[bytes]:
    """Yield the CSV file in UTF-8 chunks of a few hundred rows; formula-like cells are escaped."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADER)
    pending = 1
    for row in rows:
        writer.writerow([row[0].isoformat(), *(escape_formula(text) for text in row[1:])])
        pending += 1
        if pending >= rows_per_chunk:
            yield _take(buffer)
            pending = 0
    yield _take(buffer)


def _take(buffer: io.StringIO) -> bytes:
    data = buffer.getvalue().encode("utf-8")
    buffer.seek(0)
    buffer.truncate()
    return data
