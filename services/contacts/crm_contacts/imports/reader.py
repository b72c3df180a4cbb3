"""Reading an uploaded table: CSV (`,` or `;`, UTF-8 with or without BOM) or .xlsx, into a header and rows.

Every cell comes out as text (numbers of a sheet without a trailing `.0`, dates in ISO 8601),
or as `FORMULA` for a sheet's formula cell, which an import never evaluates. A file that is not
readable is a 422 on `file`; one too large once unpacked, or with too many rows, a 413.
"""
from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any, Iterator

from crm_shared.errors import PayloadTooLarge, ValidationFailed

#: the most data rows one file may hold
MAX_ROWS = 100_000
#: the most columns a header may name
MAX_COLUMNS = 64
#: the most bytes the parts of an .xlsx may unpack to (a small file can unpack to gigabytes)
MAX_UNPACKED_BYTES = 256 * 1024 * 1024
#: the longest cell of a CSV file, in characters
MAX_CELL_CHARS = 100_000

XLSX_MAGIC = b"PK\x03\x04"


class Formula:
    """A sheet's cell holding a formula: never evaluated, never imported."""

    def __repr__(self) -> str:
        return "FORMULA"


FORMULA = Formula()


@dataclass(frozen=True)
class Table:
    """A file's header and its non-blank rows, each with its row number as a spreadsheet shows it (header: 1)."""

    header: list[str]
    rows: list[tuple[int, list[Any]]]


def read_table(content: bytes, filename: str) -> Table:
    """Read a CSV or .xlsx upload (told apart by content, then by extension)."""
    if content.startswith(XLSX_MAGIC) or filename.lower().endswith((".xlsx", ".xlsm")):
        return _table(_xlsx_rows(content))
    return _table(_csv_rows(content))


def unreadable(reason: str) -> ValidationFailed:
    """Return the refusal of a file that cannot be read as a table."""
    return ValidationFailed({"file": [reason]}, detail=f"The file cannot be imported: {reason}")


def _table(lines: Iterator[tuple[int, list[Any]]]) -> Table:
    header: list[str] | None = None
    rows: list[tuple[int, list[Any]]] = []
    for number, cells in lines:
        if all(cell == "" for cell in cells):
            continue
        if header is None:
            header = [cell if isinstance(cell, str) else "" for cell in cells]
            while header and header[-1].strip() == "":
                header.pop()
            if len(header) > MAX_COLUMNS:
                raise unreadable(f"The header names {len(header)} columns; at most {MAX_COLUMNS} are read.")
            continue
        if len(rows) >= MAX_ROWS:
            raise PayloadTooLarge(f"The file has more than {MAX_ROWS} rows; split it into smaller files.")
        rows.append((number, cells))
    if header is None:
        raise unreadable("The file is empty: the first row must name the columns.")
    return Table(header, rows)


def _csv_rows(content: bytes) -> Iterator[tuple[int, list[Any]]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise unreadable(f"The file is neither UTF-8 text nor an .xlsx workbook (byte {error.start}).") from None
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text), strict=True)
    number = 0
    try:
        for number, cells in enumerate(reader, start=1):
            if any(len(cell) > MAX_CELL_CHARS for cell in cells):
                raise unreadable(f"Row {number} has a cell longer than {MAX_CELL_CHARS} characters.")
            yield number, [unescape(cell) for cell in cells]
    except csv.Error as error:
        raise unreadable(f"Row {number + 1} is not valid CSV: {error}.") from None


def _delimiter(text: str) -> str:
    """Return `;` when the header row has more semicolons than commas (outside quotes), else `,`."""
    first = re.sub(r'"[^"]*"', "", text.split("\n", 1)[0])
    return ";" if first.count(";") > first.count(",") else ","


# the suite's own exports put an apostrophe before a formula trigger at a cell's start or after a
# list separator (crm_shared.tabular.safety): a file exported and imported again keeps its values
_EXPORT_ESCAPE = re.compile(r"""(^|[,;\r\n]"*)'(?=[=+\-@\t\r])""")


def unescape(cell: str) -> str:
    """Drop the apostrophe the suite's exports put before a formula trigger."""
    return _EXPORT_ESCAPE.sub(r"\1", cell) if "'" in cell else cell


def _xlsx_rows(content: bytes) -> Iterator[tuple[int, list[Any]]]:
    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError, OSError):
        raise unreadable("The file is not a readable .xlsx workbook.") from None
    if unpacked > MAX_UNPACKED_BYTES:
        raise PayloadTooLarge(f"The workbook unpacks to more than {MAX_UNPACKED_BYTES} bytes.")
    # openpyxl raises whatever its zip, XML (defusedxml) and value parsers raise on a broken or
    # hostile workbook: any of them means the file is not one we can read, never a server error
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=False)
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()  # read the cells there are, not the size the file claims
        for number, cells in enumerate(sheet.iter_rows(max_col=MAX_COLUMNS + 1), start=1):
            values = [_sheet_cell(cell) for cell in cells]
            while values and values[-1] == "":
                values.pop()  # `max_col` pads every row to the widest one read
            yield number, values
        workbook.close()
    except (ValidationFailed, PayloadTooLarge):
        raise
    except Exception:  # noqa: BLE001 (see above)
        raise unreadable("The file is not a readable .xlsx workbook.") from None


def _sheet_cell(cell: Any) -> Any:
    value = getattr(cell, "value", None)
    if getattr(cell, "data_type", None) == "f":
        return FORMULA
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (datetime, date, time)):
        return value.isoformat()
    return str(value)
