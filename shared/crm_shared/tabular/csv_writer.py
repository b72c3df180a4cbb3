"""A table as CSV, generated row by row in UTF-8 chunks; no cell can become a formula."""
from __future__ import annotations

import re
from typing import Iterable, Iterator, Sequence

from crm_shared.tabular.cells import Cell, Row, cell_text
from crm_shared.tabular.safety import defuse_csv_cell

CSV_MIMETYPE = "text/csv; charset=utf-8"

# Quoted: a cell holding either separator, a quote or a line break (RFC 4180, and ";" for
# readers in locales that separate lists with it).
_NEEDS_QUOTES = re.compile('[,;"\r\n]')


def csv_chunks(header: Sequence[str], rows: Iterable[Row], *, rows_per_chunk: int = 500) -> Iterator[bytes]:
    """Yield the header and the rows as CSV, a few hundred rows per chunk, every cell defused."""
    lines = [csv_line(header)]
    for count, cells in enumerate(rows, start=1):
        lines.append(csv_line(cells))
        if count % rows_per_chunk == 0:
            yield "".join(lines).encode("utf-8")
            lines = []
    yield "".join(lines).encode("utf-8")


def csv_line(cells: Iterable[Cell]) -> str:
    """Return one CSV line of defused cells."""
    # Lines end in a bare LF: a reader with the other separator may take a quote for the
    # start of a cell running on past the end of the line, and CRLF would then start that
    # cell with a CR, one of the characters that make a spreadsheet run a cell.
    return ",".join(_field(defuse_csv_cell(cell_text(cell))) for cell in cells) + "\n"


def _field(text: str) -> str:
    if _NEEDS_QUOTES.search(text):
        return '"' + text.replace('"', '""') + '"'
    return text
