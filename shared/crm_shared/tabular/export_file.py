"""An export as a file to send: its name, its media type and its bytes as a stream of chunks."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Sequence

from crm_shared.tabular.cells import Row
from crm_shared.tabular.csv_writer import CSV_MIMETYPE, csv_chunks
from crm_shared.tabular.xlsx_writer import MAX_SHEET_ROWS, XLSX_MIMETYPE, file_chunks, xlsx_file

#: the formats `table_export` writes
TABLE_FORMATS = ("xlsx", "csv")


@dataclass(frozen=True)
class ExportFile:
    """A file to send as an attachment, as a stream of byte chunks."""

    filename: str
    mimetype: str
    chunks: Iterable[bytes]


def table_export(
    filename: str, file_format: str, header: Sequence[str], rows: Iterable[Row], *,
    sheet_name: str = "Export", column_widths: Sequence[float] = (), max_sheet_rows: int = MAX_SHEET_ROWS,
) -> ExportFile:
    """Return the table as a streamed .csv, or as an .xlsx built in a temporary file first."""
    if file_format == "csv":
        return ExportFile(filename, CSV_MIMETYPE, csv_chunks(header, rows))
    if file_format != "xlsx":
        raise ValueError(f"Not a table format: {file_format!r}")
    # A workbook is a zip archive finished only at close, so it is built whole in a
    # temporary file (in constant memory) and then sent from there.
    workbook = xlsx_file(header, rows, sheet_name=sheet_name, column_widths=column_widths,
                         max_sheet_rows=max_sheet_rows)
    return ExportFile(filename, XLSX_MIMETYPE, file_chunks(workbook))
