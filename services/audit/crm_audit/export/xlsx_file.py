"""The audit export as an Excel workbook, written in constant memory to a temporary file."""
from __future__ import annotations

import tempfile
from datetime import datetime, timezone
from typing import IO, Iterable, Iterator

import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from crm_audit.domain.export_rows import HEADER, Row
from crm_shared.spreadsheets import XLSX_OPTIONS

MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#: the most rows one Excel sheet holds, header included
MAX_SHEET_ROWS = 1_048_576
SHEET_NAME = "Audit log"
COLUMN_WIDTHS = (20, 24, 12, 32, 40, 12, 20, 40, 40)

#: constant memory, and user text never turned into formulas, links or numbers (X-11)
WORKBOOK_OPTIONS = XLSX_OPTIONS


def write_xlsx(rows: Iterable[Row], target: IO[bytes], *, max_sheet_rows: int = MAX_SHEET_ROWS) -> None:
    """Write the rows under the header, continuing on a new sheet whenever one is full."""
    workbook = xlsxwriter.Workbook(target, WORKBOOK_OPTIONS)
    date_format = workbook.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"})
    header_format = workbook.add_format({"bold": True})
    sheet = _new_sheet(workbook, header_format)
    line = 1
    for row in rows:
        if line >= max_sheet_rows:
            sheet = _new_sheet(workbook, header_format)
            line = 1
        sheet.write_datetime(line, 0, _excel_time(row[0]), date_format)
        for column, text in enumerate(row[1:], start=1):
            if text:
                sheet.write_string(line, column, text)
        line += 1
    workbook.close()


def xlsx_file(rows: Iterable[Row], *, max_sheet_rows: int = MAX_SHEET_ROWS) -> IO[bytes]:
    """Return an anonymous temporary file holding the workbook, rewound; closing it deletes it."""
    target = tempfile.TemporaryFile(prefix="crm-audit-export-", suffix=".xlsx")
    try:
        write_xlsx(rows, target, max_sheet_rows=max_sheet_rows)
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


def _new_sheet(workbook: Workbook, header_format: Format) -> Worksheet:
    number = len(workbook.worksheets()) + 1
    sheet = workbook.add_worksheet(SHEET_NAME if number == 1 else f"{SHEET_NAME} ({number})")
    for column, width in enumerate(COLUMN_WIDTHS):
        sheet.set_column(column, column, width)
    sheet.freeze_panes(1, 0)
    for column, title in enumerate(HEADER):
        sheet.write_string(0, column, title, header_format)
    return sheet


def _excel_time(moment: datetime) -> datetime:
    # Excel has no time zones: cells hold the UTC wall-clock time.
    return moment.astimezone(timezone.utc).replace(tzinfo=None)
