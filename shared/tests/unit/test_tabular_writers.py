"""The CSV and xlsx writers every export uses: any header, any rows, cells of every kind."""
from __future__ import annotations

import csv
import io
import subprocess
import sys
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

import openpyxl
from openpyxl.utils.escape import unescape
import pytest

from crm_shared.tabular import CSV_MIMETYPE, MAX_CELL_TEXT, XLSX_MIMETYPE, csv_chunks, table_export, xlsx_chunks

WHEN = datetime(2026, 11, 22, 10, 15, 30, tzinfo=timezone.utc)
HEADER = ["Text", "When", "Day", "Count", "Amount", "Done", "Empty"]
ROW = ["Řehoř", WHEN, date(2026, 12, 24), 3, Decimal("1234.50"), True, None]


def read_csv(chunks: list[bytes]) -> list[list[str]]:
    return list(csv.reader(io.StringIO(b"".join(chunks).decode("utf-8"), newline="")))


def read_xlsx(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


def test_csv_has_the_header_and_each_cell_as_text() -> None:
    lines = read_csv(list(csv_chunks(HEADER, [ROW])))

    assert lines == [HEADER, ["Řehoř", "2026-11-22T10:15:30+00:00", "2026-12-24", "3", "1234.50", "true", ""]]


def test_csv_quotes_cells_with_separators_quotes_and_line_breaks() -> None:
    data = b"".join(csv_chunks(["a"], [["x,y"], ["x;y"], ['say "hi"'], ["two\nlines"], ["plain"]]))

    assert data.decode("utf-8").split("\n")[1:4] == ['"x,y"', '"x;y"', '"say ""hi"""']
    assert [line[0] for line in read_csv([data])[1:]] == ["x,y", "x;y", 'say "hi"', "two\nlines", "plain"]


def test_csv_comes_in_chunks_of_a_few_hundred_rows() -> None:
    chunks = list(csv_chunks(["n"], ([str(n)] for n in range(1000)), rows_per_chunk=100))

    assert len(chunks) >= 10
    assert [line[0] for line in read_csv(chunks)[1:]] == [str(n) for n in range(1000)]


def test_an_empty_csv_is_the_header_alone() -> None:
    assert read_csv(list(csv_chunks(HEADER, []))) == [HEADER]


def test_xlsx_keeps_each_kind_of_cell_and_formula_like_text_as_text() -> None:
    evil = '=HYPERLINK("http://evil.example","click")'
    sheet = read_xlsx(b"".join(xlsx_chunks(HEADER, [ROW, [evil, None, None, -5]]))).active

    values = list(sheet.iter_rows(values_only=True))
    assert list(values[0]) == HEADER
    assert values[1] == ("Řehoř", datetime(2026, 11, 22, 10, 15, 30), datetime(2026, 12, 24), 3, "1234.50", True, None)
    assert (sheet["A3"].value, sheet["A3"].data_type) == (evil, "s")
    assert sheet["D3"].value == -5
    assert not any(cell.data_type == "f" for row in sheet.iter_rows() for cell in row)


def test_xlsx_times_are_utc_wall_clock_times() -> None:
    prague = timezone(timedelta(hours=1))
    sheet = read_xlsx(b"".join(xlsx_chunks(["When"], [[WHEN.astimezone(prague)]]))).active

    assert sheet["A2"].value == datetime(2026, 11, 22, 10, 15, 30)


def test_xlsx_continues_on_a_new_sheet_with_the_header_when_one_is_full() -> None:
    rows = [[f"r{n}"] for n in range(7)]
    workbook = read_xlsx(b"".join(xlsx_chunks(["Row"], rows, sheet_name="Tasks", max_sheet_rows=4)))

    assert workbook.sheetnames == ["Tasks", "Tasks (2)", "Tasks (3)"]
    assert [[line[0] for line in sheet.iter_rows(values_only=True)] for sheet in workbook.worksheets] == [
        ["Row", "r0", "r1", "r2"], ["Row", "r3", "r4", "r5"], ["Row", "r6"],
    ]


def test_a_sheet_name_longer_than_excel_allows_is_shortened() -> None:
    name = "Interactions of every contact in the list"
    workbook = read_xlsx(b"".join(xlsx_chunks(["a"], [["b"]] * 2, sheet_name=name, max_sheet_rows=2)))

    assert workbook.sheetnames == [name[:31], name[:27] + " (2)"]


def test_a_workbook_streams_while_its_rows_are_read() -> None:
    read = []

    def rows():  # type: ignore[no-untyped-def]
        for n in range(5000):
            read.append(n)
            yield [f"row {n}", n]

    chunks = xlsx_chunks(["Text", "Number"], rows(), rows_per_chunk=100)
    first = next(chunks)

    assert first.startswith(b"PK") and len(read) <= 200
    workbook = read_xlsx(first + b"".join(chunks))
    assert workbook.active.max_row == 5001 and workbook.active["B5001"].value == 4999


def test_xlsx_text_reads_back_as_written_and_is_cut_at_what_a_cell_holds() -> None:
    texts = ["<b>&amp;</b>", "  spaced  ", "two\nlines", "cr\rhere", "_x0041_", "bell\x07", "x" * (MAX_CELL_TEXT + 5)]
    sheet = read_xlsx(b"".join(xlsx_chunks(["t"], [[text] for text in texts]))).active

    # what Excel reads: openpyxl leaves the _xHHHH_ escapes of characters XML cannot hold as they are
    values = [unescape(row[0]) for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert values[:6] == texts[:6]
    assert values[6] == "x" * MAX_CELL_TEXT


def test_a_reader_giving_up_midway_leaves_nothing_open() -> None:
    chunks = xlsx_chunks(["n"], ([n] for n in range(10_000)), rows_per_chunk=100)
    next(chunks)

    chunks.close()


def test_a_table_export_names_its_file_and_media_type_by_format() -> None:
    as_csv = table_export("tasks.csv", "csv", ["Title"], [["Call"]])
    as_xlsx = table_export("tasks.xlsx", "xlsx", ["Title"], [["Call"]], sheet_name="Tasks")

    assert (as_csv.filename, as_csv.mimetype, b"".join(as_csv.chunks)) == ("tasks.csv", CSV_MIMETYPE, b"Title\nCall\n")
    assert (as_xlsx.filename, as_xlsx.mimetype) == ("tasks.xlsx", XLSX_MIMETYPE)
    assert read_xlsx(b"".join(as_xlsx.chunks))["Tasks"]["A2"].value == "Call"


def test_a_table_export_refuses_a_format_it_does_not_write() -> None:
    with pytest.raises(ValueError):
        table_export("tasks.ods", "ods", ["Title"], [])


def test_the_writers_import_neither_flask_nor_kombu_nor_sqlalchemy() -> None:
    script = (
        "import sys; import crm_shared.tabular, crm_shared.testing.csv_safety; "
        "print(sorted(m for m in ('flask', 'kombu', 'sqlalchemy', 'marshmallow') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout

    assert out.strip() == "[]"
