"""A table as an Excel workbook, streamed: sheets are written into the archive while the rows are read.

An .xlsx file is a zip archive of XML parts. Readers find the parts through the archive's
central directory, written last, so the parts may come in any order: each sheet's part is
compressed and sent as its rows arrive (`zipfile` writes members to a stream it cannot seek,
with data descriptors), and the parts that name every sheet — the workbook, its relationships
and the content types — follow once the last row is read. The first bytes leave after the
first few hundred rows, memory stays that of one batch of rows, and no temporary file is used.

Text is always an inline string (`t="inlineStr"`): no cell is ever a formula, a link or a
number guessed from text, whatever it starts with (X-11).
"""
from __future__ import annotations

import re
import zipfile
from datetime import date, datetime, timedelta, timezone
from typing import IO, Iterable, Iterator, Sequence

from crm_shared.tabular import xlsx_parts as parts
from crm_shared.tabular.cells import Cell, Row

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#: the most rows one Excel sheet holds, header included
MAX_SHEET_ROWS = 1_048_576
#: the longest text an Excel cell holds; longer text is cut there
MAX_CELL_TEXT = 32_767
#: Excel limits a sheet's name to 31 characters
_MAX_SHEET_NAME = 31
_EXCEL_EPOCH = datetime(1899, 12, 30)
_ONE_DAY = timedelta(days=1)
# Characters XML 1.0 cannot hold are written as Excel's _xHHHH_ escapes, and a literal text
# that looks like such an escape gets its "_" escaped, so it reads back as it was. A CR is a
# character reference: an XML reader would turn a raw one into a line feed.
_SPECIAL = re.compile(r"[&<>\r\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]|_(?=x[0-9A-Fa-f]{4}_)")
_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;", "_": "_x005F_"}


def xlsx_chunks(
    header: Sequence[str], rows: Iterable[Row], *, sheet_name: str = "Export",
    column_widths: Sequence[float] = (), max_sheet_rows: int = MAX_SHEET_ROWS, rows_per_chunk: int = 500,
) -> Iterator[bytes]:
    """Yield the workbook's bytes while reading the rows, continuing on a new sheet whenever one is full."""
    book = _StreamedBook(header, sheet_name, column_widths)
    try:
        book.new_sheet()
        line = 1
        batch: list[str] = []
        for cells in rows:
            if line >= max_sheet_rows:
                book.write(batch)
                batch, line = [], 1
                book.new_sheet()
            line += 1
            batch.append(row_xml(line, cells))
            if len(batch) >= rows_per_chunk:
                book.write(batch)
                batch = []
                yield book.sent()
        book.write(batch)
        book.finish()
        yield book.sent()
    finally:
        book.close()


def row_xml(line: int, cells: Iterable[Cell], style: int = parts.DEFAULT_STYLE) -> str:
    """Return one `<row>` of the sheet: each cell as its kind, text always an inline string."""
    number = str(line)
    written = "".join(
        _cell(_column(column) + number, value, style) for column, value in enumerate(cells)
        if value is not None and value != ""
    )
    return f'<row r="{number}">{written}</row>'


def _cell(ref: str, value: Cell, style: int) -> str:
    # every branch names its type: text is never guessed into a number, a formula or a link
    styled = f' s="{style}"' if style else ""
    if isinstance(value, bool):
        return f'<c r="{ref}" t="b"{styled}><v>{int(value)}</v></c>'
    if isinstance(value, datetime):
        return f'<c r="{ref}" s="{parts.MOMENT_STYLE}"><v>{_serial(value)!r}</v></c>'
    if isinstance(value, date):
        return f'<c r="{ref}" s="{parts.DAY_STYLE}"><v>{(value - _EXCEL_EPOCH.date()).days}</v></c>'
    if isinstance(value, int) or (isinstance(value, float) and value == value and abs(value) != float("inf")):
        return f'<c r="{ref}"{styled}><v>{value!r}</v></c>'
    # text, and a Decimal as text: exact, where a float would round it
    text = str(value)[:MAX_CELL_TEXT]
    return f'<c r="{ref}" t="inlineStr"{styled}><is><t xml:space="preserve">{_escape(text)}</t></is></c>'


def _serial(moment: datetime) -> float:
    # Excel has no time zones: cells hold the UTC wall-clock time (naive times are taken as UTC).
    if moment.tzinfo is not None:
        moment = moment.astimezone(timezone.utc).replace(tzinfo=None)
    return (moment - _EXCEL_EPOCH) / _ONE_DAY


def _escape(text: str) -> str:
    return _SPECIAL.sub(lambda found: _ENTITIES.get(found[0]) or f"_x{ord(found[0]):04X}_", text)


_LETTERS: dict[int, str] = {}


def _column(index: int) -> str:
    """Return the column letters of a 0-based column index (A, …, Z, AA, …)."""
    letters = _LETTERS.get(index)
    if letters is None:
        letters, rest = "", index + 1
        while rest:
            rest, digit = divmod(rest - 1, 26)
            letters = chr(65 + digit) + letters
        _LETTERS[index] = letters
    return letters


class _Sink:
    """The unseekable stream the archive is written to: what was written, until taken."""

    def __init__(self) -> None:
        self._parts: list[bytes] = []

    def write(self, data: bytes) -> int:
        self._parts.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        """Nothing to flush: the bytes wait to be taken."""

    def take(self) -> bytes:
        data = b"".join(self._parts)
        self._parts.clear()
        return data


class _StreamedBook:
    """The archive being written, its sheet being filled, and the names of the sheets so far."""

    def __init__(self, header: Sequence[str], name: str, widths: Sequence[float]) -> None:
        self.header, self.name, self.widths = header, name[:_MAX_SHEET_NAME], widths
        self.sink = _Sink()
        # level 1: the XML is repetitive enough that harder work buys little, and it is CPU per row
        self.archive = zipfile.ZipFile(self.sink, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1)
        self.names: list[str] = []
        self.sheet: IO[bytes] | None = None

    def new_sheet(self) -> None:
        self._end_sheet()
        number = len(self.names) + 1
        suffix = "" if number == 1 else f" ({number})"
        self.names.append(self.name[:_MAX_SHEET_NAME - len(suffix)] + suffix)
        # zip64: a sheet of a million rows may pass the 4 GiB a plain member can say it holds
        self.sheet = self.archive.open(parts.sheet_path(number), "w", force_zip64=True)
        self.write([parts.sheet_start(self.widths), row_xml(1, self.header, parts.BOLD_STYLE)])

    def write(self, texts: list[str]) -> None:
        assert self.sheet is not None
        if texts:
            self.sheet.write("".join(texts).encode("utf-8"))

    def sent(self) -> bytes:
        return self.sink.take()

    def finish(self) -> None:
        self._end_sheet()
        self.archive.writestr("xl/workbook.xml", parts.workbook(self.names))
        self.archive.writestr("xl/_rels/workbook.xml.rels", parts.workbook_rels(len(self.names)))
        self.archive.writestr("xl/styles.xml", parts.STYLES)
        self.archive.writestr("_rels/.rels", parts.ROOT_RELS)
        self.archive.writestr("[Content_Types].xml", parts.content_types(len(self.names)))
        self.archive.close()

    def close(self) -> None:
        """Let go of the archive, finished or not (a reader that gave up)."""
        if self.sheet is not None:
            self.sheet.close()
            self.sheet = None
        self.archive.close()

    def _end_sheet(self) -> None:
        if self.sheet is not None:
            self.sheet.write(parts.SHEET_END.encode("utf-8"))
            self.sheet.close()
            self.sheet = None
