"""The audit log through the shared CSV and XLSX writers: header, rows, formula safety, sheet overflow."""
from __future__ import annotations

import csv
import io
from datetime import datetime, timezone

import openpyxl

from crm_audit.domain.export_rows import COLUMN_WIDTHS, HEADER, SHEET_NAME, Row
from crm_shared.tabular import csv_chunks as table_csv_chunks
from crm_shared.tabular import xlsx_chunks as table_xlsx_chunks

WHEN = datetime(2026, 11, 22, 10, 15, 30, tzinfo=timezone.utc)


def csv_chunks(rows: list[Row], **options: int) -> list[bytes]:
    return list(table_csv_chunks(HEADER, rows, **options))


def xlsx_bytes(rows: list[Row], **options: int) -> bytes:
    return b"".join(table_xlsx_chunks(HEADER, rows, sheet_name=SHEET_NAME, column_widths=COLUMN_WIDTHS, **options))


def row(field: str = "phones", before: str = "", after: str = "", name: str = "Jana Nováková") -> Row:
    return (WHEN, "Eva Admin", "person", name, "/api/v1/persons/p-1", "updated", field, before, after)


def read_csv(chunks: list[bytes]) -> list[list[str]]:
    return list(csv.reader(io.StringIO(b"".join(chunks).decode("utf-8"), newline="")))


def test_csv_has_the_header_and_one_line_per_row() -> None:
    lines = read_csv(list(csv_chunks([row(before="a", after="b"), row(field="", name="Řehoř")])))

    assert lines[0] == list(HEADER)
    assert lines[1] == ["2026-11-22T10:15:30+00:00", "Eva Admin", "person", "Jana Nováková",
                        "/api/v1/persons/p-1", "updated", "phones", "a", "b"]
    assert lines[2][3] == "Řehoř"
    assert len(lines) == 3


def test_csv_cells_that_look_like_formulas_start_with_an_apostrophe() -> None:
    lines = read_csv(list(csv_chunks([row(name='=HYPERLINK("http://x","y")', before="+420 1", after="@cmd")])))

    assert lines[1][3] == "'=HYPERLINK(\"http://x\",\"y\")"
    assert (lines[1][7], lines[1][8]) == ("'+420 1", "'@cmd")


def test_csv_comes_in_chunks_of_a_few_hundred_rows() -> None:
    chunks = list(csv_chunks([row()] * 1000, rows_per_chunk=100))

    assert len(chunks) >= 10
    assert len(read_csv(chunks)) == 1001


def test_an_empty_csv_export_is_the_header_alone() -> None:
    assert read_csv(list(csv_chunks([]))) == [list(HEADER)]


def load(rows: list[Row], **options: int) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(xlsx_bytes(rows, **options)))


def test_xlsx_has_the_header_and_keeps_formula_like_text_as_text() -> None:
    sheet = load([row(name='=HYPERLINK("http://evil.example","click")', before="-5", after="")]).active

    assert [cell.value for cell in sheet[1]] == list(HEADER)
    name = sheet.cell(row=2, column=4)
    assert (name.value, name.data_type) == ('=HYPERLINK("http://evil.example","click")', "s")
    assert sheet.cell(row=2, column=8).value == "-5"
    assert sheet.cell(row=2, column=1).value == datetime(2026, 11, 22, 10, 15, 30)
    assert sheet.max_row == 2


def test_xlsx_continues_on_a_new_sheet_with_the_header_when_one_is_full() -> None:
    workbook = load([row(field=f"f{n}") for n in range(7)], max_sheet_rows=4)

    assert workbook.sheetnames == ["Audit log", "Audit log (2)", "Audit log (3)"]
    fields = []
    for sheet in workbook.worksheets:
        values = list(sheet.iter_rows(values_only=True))
        assert values[0] == HEADER
        assert len(values) <= 4
        fields += [line[6] for line in values[1:]]
    assert fields == [f"f{n}" for n in range(7)]


def test_an_empty_xlsx_export_is_the_header_alone() -> None:
    assert list(load([]).active.iter_rows(values_only=True)) == [HEADER]


def test_xlsx_columns_have_the_log_s_widths_and_the_header_stays_in_view() -> None:
    sheet = load([row()]).active

    assert sheet.column_dimensions["D"].width == COLUMN_WIDTHS[3]
    assert sheet.freeze_panes == "A2"
