"""A contact list as .csv (streamed) and .xlsx (constant memory); no cell ever becomes a formula."""
from __future__ import annotations

import csv
import io
import tempfile
from typing import IO, Iterable, Iterator

import xlsxwriter

from crm_shared.spreadsheets import XLSX_OPTIONS, escape_formula

CSV_MIMETYPE = "text/csv; charset=utf-8"
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def csv_chunks(header: list[str], rows: Iterable[list[str]], *, rows_per_chunk: int = 500) -> Iterator[bytes]:
    """Yield the CSV file in UTF-8 chunks; formula-like cells start with an apostrophe."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    for count, cells in enumerate(rows, start=1):
        writer.writerow([escape_formula(cell) for cell in cells])
        if count % rows_per_chunk == 0:
            yield _take(buffer)
    yield _take(buffer)


def xlsx_file(header: list[str], rows: Iterable[list[str]], *, sheet_name: str = "Contacts") -> IO[bytes]:
    """Return a rewound temporary file holding the workbook; closing it deletes it."""
    target = tempfile.TemporaryFile(prefix="crm-contacts-export-", suffix=".xlsx")
    try:
        workbook = xlsxwriter.Workbook(target, XLSX_OPTIONS)
        sheet = workbook.add_worksheet(sheet_name)
        bold = workbook.add_format({"bold": True})
        sheet.freeze_panes(1, 0)
        for column, title in enumerate(header):
            sheet.write_string(0, column, title, bold)
        for line, cells in enumerate(rows, start=1):
            for column, text in enumerate(cells):
                if text:
                    sheet.write_string(line, column, text)
        workbook.close()
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


def _take(buffer: io.StringIO) -> bytes:
    data = buffer.getvalue().encode("utf-8")
    buffer.seek(0)
    buffer.truncate()
    return data
