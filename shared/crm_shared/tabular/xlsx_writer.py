"""A table as an Excel workbook, written in constant memory to a temporary file."""
from __future__ import annotations

import tempfile
from datetime import date, datetime, timezone
from decimal import Decimal
from typing import IO, Iterable, Iterator, Sequence

import xlsxwriter
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from crm_shared.tabular.cells import Cell, Row
from crm_shared.tabular.safety import XLSX_OPTIONS

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#: the most rows one Excel sheet holds, header included
MAX_SHEET_ROWS = 1_048_576
#: Excel limits a sheet's name to 31 characters
_MAX_SHEET_NAME = 31


def write_xlsx(
    header: Sequence[str], rows: Iterable[Row], target: IO[bytes], *, sheet_name: str = "Export",
    column_widths: Sequence[float] = (), max_sheet_rows: int = MAX_SHEET_ROWS,
) -> None:
    """Write the rows under the header, continuing on a new sheet whenever one is full."""
    workbook = xlsxwriter.Workbook(target, XLSX_OPTIONS)
    book = _Book(workbook, header, sheet_name, column_widths)
    sheet, line = book.new_sheet(), 1
    for cells in rows:
        if line >= max_sheet_rows:
            sheet, line = book.new_sheet(), 1
        for column, value in enumerate(cells):
            book.write(sheet, line, column, value)
        line += 1
    workbook.close()


def xlsx_file(
    header: Sequence[str], rows: Iterable[Row], *, sheet_name: str = "Export",
    column_widths: Sequence[float] = (), max_sheet_rows: int = MAX_SHEET_ROWS,
) -> IO[bytes]:
    """Return an anonymous temporary file holding the workbook, rewound; closing it deletes it."""
    target = tempfile.TemporaryFile(prefix="crm-export-", suffix=".xlsx")
    try:
        write_xlsx(header, rows, target, sheet_name=sheet_name, column_widths=column_widths,
                   max_sheet_rows=max_sheet_rows)
    except BaseException:
        target.close()
        raise
    target.seek(0)
    return target


def file_chunks(file: IO[bytes], *, size: int = 64 * 1024) -> Iterator[bytes]:
    """Yield a file's bytes in chunks and close it at the end, or when the reader gives up."""
    try:
        while chunk := file.read(size):
            yield chunk
    finally:
        file.close()


class _Book:
    """The workbook's sheets, formats and the one way each kind of cell is written."""

    def __init__(self, workbook: Workbook, header: Sequence[str], name: str, widths: Sequence[float]) -> None:
        self.workbook, self.header, self.name, self.widths = workbook, header, name[:_MAX_SHEET_NAME], widths
        self.bold = workbook.add_format({"bold": True})
        self.moment = workbook.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"})
        self.day = workbook.add_format({"num_format": "yyyy-mm-dd"})

    def new_sheet(self) -> Worksheet:
        number = len(self.workbook.worksheets()) + 1
        suffix = "" if number == 1 else f" ({number})"
        sheet = self.workbook.add_worksheet(self.name[:_MAX_SHEET_NAME - len(suffix)] + suffix)
        for column, width in enumerate(self.widths):
            sheet.set_column(column, column, width)
        sheet.freeze_panes(1, 0)
        for column, title in enumerate(self.header):
            sheet.write_string(0, column, title, self.bold)
        return sheet

    def write(self, sheet: Worksheet, line: int, column: int, value: Cell) -> None:
        # every branch names its type: text must never go through xlsxwriter's guessing write()
        if value is None or value == "":
            return
        if isinstance(value, bool):
            sheet.write_boolean(line, column, value)
        elif isinstance(value, datetime):
            sheet.write_datetime(line, column, _excel_time(value), self.moment)
        elif isinstance(value, date):
            sheet.write_datetime(line, column, datetime(value.year, value.month, value.day), self.day)
        elif isinstance(value, (int, float)):
            sheet.write_number(line, column, value)
        elif isinstance(value, Decimal):
            sheet.write_string(line, column, str(value))  # exact: a float would round it
        else:
            sheet.write_string(line, column, str(value))


def _excel_time(moment: datetime) -> datetime:
    # Excel has no time zones: cells hold the UTC wall-clock time (naive times are taken as UTC).
    if moment.tzinfo is None:
        return moment
    return moment.astimezone(timezone.utc).replace(tzinfo=None)
