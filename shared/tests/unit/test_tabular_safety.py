"""Formula safety shared by every spreadsheet export, and CSV cells safe whatever the reader's separator."""
from __future__ import annotations

import csv
import io

import pytest

import zipfile

from crm_shared.tabular import csv_chunks, defuse_csv_cell, escape_formula, xlsx_chunks
from crm_shared.testing.csv_safety import KNOWN_ATTACKS, dangerous_cells, hostile_texts


@pytest.mark.parametrize(
    "text", ["=1+1", "+420 111", "-5", "-1+1", "@SUM(A1)", "\tx", "\rx", '=HYPERLINK("http://evil.example","click")']
)
def test_text_a_spreadsheet_would_run_gets_an_apostrophe(text: str) -> None:
    assert escape_formula(text) == "'" + text


@pytest.mark.parametrize("text", ["Jana", "", "1+1", "a=b", "'quoted", " =x", "/api/v1/persons/p-1"])
def test_other_text_stays_as_it_is(text: str) -> None:
    assert escape_formula(text) == text
    assert defuse_csv_cell(text) == text


def test_workbooks_write_every_text_as_an_inline_string_never_a_formula_link_or_number() -> None:
    texts = [*KNOWN_ATTACKS, "http://evil.example", "12345", "=1+1"]
    data = b"".join(xlsx_chunks(["text"], [[text] for text in texts]))

    sheet = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml").decode("utf-8")
    assert "<f>" not in sheet and "<f " not in sheet and "hyperlink" not in sheet
    assert sheet.count('t="inlineStr"') == len(texts) + 1


@pytest.mark.parametrize(
    ("text", "safe"),
    [
        ("a;=cmd()", "a;'=cmd()"),
        ("a,+1", "a,'+1"),
        ("Nováček;@x;-y", "Nováček;'@x;'-y"),
        ("x\n=y", "x\n'=y"),
        ('a;"=cmd()', 'a;"\'=cmd()'),
        (";\r=", ";'\r'="),
        ("=a;=b", "'=a;'=b"),
    ],
)
def test_a_trigger_after_a_separator_or_line_break_inside_a_cell_gets_an_apostrophe(text: str, safe: str) -> None:
    assert defuse_csv_cell(text) == safe


@pytest.mark.parametrize("text", ["Jana; Eva", "a,b;c", "420 1, +420 2", "1;2,3", "a-b;c@d"])
def test_separators_followed_by_harmless_text_are_left_alone(text: str) -> None:
    assert defuse_csv_cell(text) == text


def test_no_cell_of_a_csv_split_on_comma_or_semicolon_begins_with_a_trigger() -> None:
    texts = hostile_texts(2000)
    rows = [[texts[n], texts[-n - 1], "", texts[(n * 7) % len(texts)]] for n in range(len(texts))]

    data = b"".join(csv_chunks(["ID", "Name;=x", "Note", "Tags"], rows)).decode("utf-8")

    assert dangerous_cells(data) == []


def test_the_check_finds_what_escaping_the_first_character_alone_leaves() -> None:
    buffer = io.StringIO()
    csv.writer(buffer).writerows([escape_formula(text)] for text in KNOWN_ATTACKS)

    assert "=cmd()" in dangerous_cells(buffer.getvalue())


def test_a_defused_csv_reads_back_with_every_line_break_and_separator_kept() -> None:
    texts = hostile_texts(200)
    data = b"".join(csv_chunks(["text"], [[text] for text in texts])).decode("utf-8")

    cells = [row[0] for row in list(csv.reader(io.StringIO(data, newline="")))[1:]]

    assert [cell.replace("'", "") for cell in cells] == [text.replace("'", "") for text in texts]
