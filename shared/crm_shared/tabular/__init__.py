"""Tables as files: one streaming CSV writer and one streaming xlsx writer for every export.

A table is a header and any iterable of rows; a cell is text, a number, a bool, a date or a
datetime, or None for an empty cell. `table_export` picks the writer by format and returns an
`ExportFile` whose chunks an HTTP view streams as an attachment.
"""
from crm_shared.tabular.cells import Cell, Row
from crm_shared.tabular.csv_writer import CSV_MIMETYPE, csv_chunks
from crm_shared.tabular.export_file import TABLE_FORMATS, ExportFile, table_export
from crm_shared.tabular.safety import FORMULA_TRIGGERS, defuse_csv_cell, escape_formula
from crm_shared.tabular.xlsx_writer import MAX_CELL_TEXT, MAX_SHEET_ROWS, XLSX_MIMETYPE, xlsx_chunks

__all__ = [
    "CSV_MIMETYPE", "Cell", "ExportFile", "FORMULA_TRIGGERS", "MAX_CELL_TEXT", "MAX_SHEET_ROWS", "Row",
    "TABLE_FORMATS", "XLSX_MIMETYPE", "csv_chunks", "defuse_csv_cell", "escape_formula", "table_export",
    "xlsx_chunks",
]
