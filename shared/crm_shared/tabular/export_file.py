"""An export as a file to send: its name, its media type and its bytes as a stream of chunks."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Sequence

from crm_shared.tabular.cells import Row
from crm_shared.tabular.csv_writer import CSV_MIMETYPE, csv_chunks
from crm_shared.tabular.xlsx_writer import MAX_SHEET_ROWS, XLSX_MIMETYPE, xlsx_chunks

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
    """Return the table as a streamed .csv or a streamed .xlsx: bytes leave while the rows are read."""
    if file_format == "csv":
        return ExportFile(filename, CSV_MIMETYPE, csv_chunks(header, rows))
    if file_format != "xlsx":
        raise ValueError(f"Not a table format: {file_format!r}")
    return ExportFile(filename, XLSX_MIMETYPE, xlsx_chunks(
        header, rows, sheet_name=sheet_name, column_widths=column_widths, max_sheet_rows=max_sheet_rows))
