"""Tables as files: one streaming CSV writer and one constant-memory xlsx writer for every export.

A table is a header and any iterable of rows; a cell is text, a number, a bool, a date or a
datetime, or None for an empty cell. `table_export` picks the writer by format and returns an
`ExportFile` whose chunks an HTTP view streams as an attachment.
"""
from crm_shared.tabular.cells import Cell, Row
from crm_shared.tabular.csv_writer import CSV_MIMETYPE, csv_chunks
from crm_shared.tabular.export_file import TABLE_FORMATS, ExportFile, table_export
from crm_shared.tabular.safety import FORMULA_TRIGGERS, XLSX_OPTIONS, defuse_csv_cell, escape_formula
from crm_shared.tabular.xlsx_writer import MAX_SHEET_ROWS, XLSX_MIMETYPE, file_chunks, write_xlsx, xlsx_file

__all__ = [
    "CSV_MIMETYPE", "Cell", "ExportFile", "FORMULA_TRIGGERS", "MAX_SHEET_ROWS", "Row", "TABLE_FORMATS",
    "XLSX_MIMETYPE", "XLSX_OPTIONS", "csv_chunks", "defuse_csv_cell", "escape_formula", "file_chunks",
    "table_export", "write_xlsx", "xlsx_file",
]
