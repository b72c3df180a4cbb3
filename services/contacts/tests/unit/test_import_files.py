"""Reading an import's file: CSV dialects, .xlsx cells, the header, list cells, hostile cells."""
from __future__ import annotations

import io

import openpyxl
import pytest

from crm_shared.errors import PayloadTooLarge, ValidationFailed

from crm_contacts.api.import_rows import rows_of
from crm_contacts.api.schemas import CompanyInSchema, PersonInSchema
from crm_contacts.imports import reader
from crm_contacts.imports.reader import FORMULA, read_table


def test_a_csv_with_a_bom_and_semicolons_reads_with_its_row_numbers_skipping_blank_rows() -> None:
    table = read_table("\ufefffirst_name;last_name\nJana;Nováková\n;\n\"Petr; ml.\";Malý\n".encode(), "a.csv")

    assert table.header == ["first_name", "last_name"]
    assert table.rows == [(2, ["Jana", "Nováková"]), (4, ["Petr; ml.", "Malý"])]


def test_a_csv_with_commas_reads_and_the_exports_apostrophes_come_off_again() -> None:
    table = read_table(b"last_name,phones,note\nN,'+420 111,'=not a formula\n", "a.csv")

    assert table.rows == [(2, ["N", "+420 111", "=not a formula"])]


def test_an_xlsx_reads_numbers_as_text_and_marks_formulas() -> None:
    book = openpyxl.Workbook()
    book.active.append(["name", "reg_id", "note"])
    book.active.append(["ACME", 27074358, "=1+1"])
    content = io.BytesIO()
    book.save(content)

    table = read_table(content.getvalue(), "upload")

    assert table.rows == [(2, ["ACME", "27074358", FORMULA])]


def test_unreadable_files_are_422_on_file_and_oversized_ones_413(monkeypatch: pytest.MonkeyPatch) -> None:
    for content in (b"", b"\xff\xfeabc", b"PK\x03\x04junk", b'a\n"open\n'):
        with pytest.raises(ValidationFailed) as refused:
            read_table(content, "f.csv")
        assert list(refused.value.extra["errors"]) == ["file"]
    monkeypatch.setattr(reader, "MAX_ROWS", 2)
    with pytest.raises(PayloadTooLarge):
        read_table(b"last_name\na\nb\nc\n", "f.csv")


def test_list_cells_split_on_semicolons_or_commas_and_the_address_has_dotted_columns() -> None:
    table = read_table(b"last_name;emails;tags;address.city\nN;\"a@x.cz, b@x.cz\";\"vip;lead\";Praha\n", "f.csv")

    [row] = rows_of(table, PersonInSchema())

    assert row.values == {"last_name": "N", "emails": ["a@x.cz", "b@x.cz"], "tags": ["vip", "lead"],
                          "address": {"city": "Praha"}}


def test_bad_cells_make_their_row_invalid_naming_the_column() -> None:
    table = read_table(b"name;website;note\nACME;not a url;ok\n\"Nul\x00\";;\nX;;;extra\n", "f.csv")

    rows = rows_of(table, CompanyInSchema())

    assert rows[0].errors == {"website": ["Not a valid URL."]}
    assert rows[1].errors == {"name": ["Must not contain NUL characters."]}
    assert list(rows[2].errors or {}) == ["_row"]


def test_a_header_with_unknown_columns_is_refused_naming_them() -> None:
    with pytest.raises(ValidationFailed) as refused:
        rows_of(read_table(b"name,colour,id\nACME,red,1\n", "f.csv"), CompanyInSchema())

    assert "Unknown columns: colour, id." in refused.value.extra["errors"]["file"][0]
