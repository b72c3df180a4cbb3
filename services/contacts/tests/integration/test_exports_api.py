"""Exporting contacts over HTTP on SQLite and PostgreSQL: files, the `exported` event, visibility."""
from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any, Iterator

import openpyxl
import pypdf
import pytest
import sqlalchemy as sa
import vobject
from flask.testing import FlaskClient

from crm_shared.service_app import context_of
from crm_shared.envelope import Actor
from crm_shared.testing.apps import migrated_app, outbox_events
from crm_shared.testing.csv_safety import dangerous_cells, hostile_texts
from crm_shared.testing.tokens import TokenIssuer

from crm_contacts.app import create_app
from crm_contacts.declaration import SERVICE
from crm_contacts.service_layer.contacts import create_contact

ALICE = "aaaaaaaa-1111-0000-0000-000000000001"
BOB = "bbbbbbbb-1111-0000-0000-000000000002"
issuer = TokenIssuer()
USERS = {
    "alice": issuer.headers("user", user_id=ALICE, name="Alice User"),
    "bob": issuer.headers("user", user_id=BOB, name="Bob User"),
}


class Api:
    def __init__(self, client: FlaskClient, engine: sa.Engine, uow_factory: Any) -> None:
        self.client = client
        self.engine = engine
        self.uow_factory = uow_factory

    def call(self, method: str, path: str, *, user: str = "alice", **kwargs: Any) -> Any:
        return self.client.open(f"/api/v1{path}", method=method, headers=USERS[user], **kwargs)

    def create(self, path: str, user: str = "alice", **values: Any) -> dict[str, Any]:
        response = self.call("POST", path, user=user, json=values)
        assert response.status_code == 201, response.get_json()
        return response.get_json()

    def events(self) -> list[dict[str, Any]]:
        return outbox_events(self.engine)


@pytest.fixture
def api(any_database_url: str, tmp_path: Path) -> Iterator[Api]:
    with migrated_app(SERVICE, create_app, any_database_url, tmp_path, issuer.verifier()) as app:
        yield Api(app.test_client(), context_of(app).engine, context_of(app).uow_factory)


TRICKY = {"first_name": "Řehoř, ml.", "last_name": "Nováček; Žluťoučký", "position": "Ředitel; CEO",
          "emails": ["rehor@example.cz"], "phones": ["+420 601 234 567"],
          "address": {"street": "Vodičkova 681/14", "city": "Praha, 1", "postal_code": "110 00"},
          "note": "=HYPERLINK(\"http://evil\")"}


def test_a_person_exported_as_vcard_reads_back_and_the_export_is_an_event(api: Api) -> None:
    company = api.create("/companies", name="ACME, s.r.o.")
    person = api.create("/persons", **TRICKY, company_id=company["id"])

    response = api.call("GET", f"/persons/{person['id']}/export.vcf")

    assert response.status_code == 200
    assert response.mimetype == "text/vcard"
    assert response.headers["Content-Disposition"].startswith('attachment; filename="Rehor-ml-Novacek-Zlutoucky.vcf"')
    card = vobject.readOne(response.get_data(as_text=True))
    assert (card.n.value.family, card.n.value.given) == ("Nováček; Žluťoučký", "Řehoř, ml.")
    assert card.org.value == ["ACME, s.r.o."]
    assert card.adr.value.city == "Praha, 1"
    event = api.events()[-1]
    assert event["type"] == "crm.person.exported"
    assert event["subject"] == person["id"]
    assert event["sequence"] == person["version"]
    assert event["data"]["operation"] == "exported"
    assert event["data"]["changes"] == []
    assert event["data"]["export"] == {"format": "vcf"}
    assert event["data"]["state"]["last_name"] == "Nováček; Žluťoučký"


def test_a_company_exported_as_pdf_is_one_page_with_its_name(api: Api) -> None:
    company = api.create("/companies", name="Řeznictví U Nováčků s.r.o.", reg_id="25596641")

    response = api.call("GET", f"/companies/{company['id']}/export.pdf")

    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    reader = pypdf.PdfReader(io.BytesIO(response.get_data()))
    assert len(reader.pages) == 1
    assert "Řeznictví U Nováčků s.r.o." in reader.pages[0].extract_text()
    event = api.events()[-1]
    assert (event["type"], event["data"]["export"]) == ("crm.company.exported", {"format": "pdf"})


def test_a_contact_the_caller_may_not_see_is_not_exported_and_no_event_is_written(api: Api) -> None:
    person = api.create("/persons", user="alice", last_name="Nová")
    before = len(api.events())

    assert api.call("GET", f"/persons/{person['id']}/export.vcf", user="bob").status_code == 404
    assert api.call("GET", f"/persons/{person['id']}/export.pdf", user="bob").status_code == 404
    assert api.call("GET", "/persons/00000000-0000-0000-0000-000000000000/export.vcf").status_code == 404
    assert len(api.events()) == before


def test_the_filtered_list_exports_as_csv_xlsx_and_vcf_without_formulas(api: Api) -> None:
    api.create("/persons", **TRICKY, tags=["export"])
    api.create("/persons", first_name="Eva", last_name="Malá", tags=["export"], phones=["+420 111 222 333"])
    api.create("/persons", first_name="Jiný", last_name="Štítek")
    api.create("/persons", user="bob", first_name="Bobova", last_name="Osoba", tags=["export"])

    text = api.call("GET", "/persons/export.csv?tag=export")
    assert text.status_code == 200 and text.mimetype == "text/csv"
    table = list(csv.reader(io.StringIO(text.get_data(as_text=True))))
    assert table[0][:3] == ["ID", "First name", "Last name"]
    assert [row[2] for row in table[1:]] == ["Malá", "Nováček; Žluťoučký"]
    note_column = table[0].index("Note")
    assert table[2][note_column] == "'=HYPERLINK(\"http://evil\")"

    xlsx = api.call("GET", "/persons/export.xlsx?tag=export&sort=-name")
    assert xlsx.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.get_data())).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert [row[2] for row in rows[1:]] == ["Nováček; Žluťoučký", "Malá"]
    assert not any(cell.data_type == "f" for row in sheet.iter_rows() for cell in row)
    assert "=HYPERLINK(\"http://evil\")" in rows[1]

    cards = list(vobject.readComponents(api.call("GET", "/persons/export.vcf?tag=export").get_data(as_text=True)))
    assert [card.fn.value for card in cards] == ["Eva Malá", "Řehoř, ml. Nováček; Žluťoučký"]


def test_a_list_longer_than_a_page_is_exported_whole(api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    from crm_contacts.service_layer import exports

    monkeypatch.setattr(exports, "PAGE_SIZE", 2)
    for n in range(5):
        api.create("/companies", name=f"Firma {n}")

    table = list(csv.reader(io.StringIO(api.call("GET", "/companies/export.csv").get_data(as_text=True))))

    assert [row[1] for row in table[1:]] == [f"Firma {n}" for n in range(5)]


def test_bad_filters_of_a_list_export_are_a_problem(api: Api) -> None:
    response = api.call("GET", "/persons/export.csv?sort=shoe-size")

    assert response.status_code == 422
    assert "sort" in response.get_json()["errors"]


@pytest.mark.parametrize("kind", ["person", "company"])
def test_no_cell_of_a_csv_list_export_becomes_a_formula_whatever_the_list_separator(api: Api, kind: str) -> None:
    # Stored through the use case, so that the export meets every text the store may hold,
    # whatever the HTTP input checks let through today.
    texts = hostile_texts(150)
    fields = ["first_name", "last_name", "position", "note"] if kind == "person" else ["name", "note"]
    for n in range(0, len(texts), len(fields)):
        values = {field: texts[(n + k) % len(texts)] for k, field in enumerate(fields)}
        values["tags"] = [texts[-n - 1], texts[n // 2]]
        values["address"] = {"street": texts[n // 3], "city": texts[-n // 2 - 1]}
        if kind == "company" and not values["name"].strip():
            values["name"] += "x"  # a company needs a name
        create_contact(api.uow_factory(actor=Actor(ALICE, "Alice User")), kind, values)

    response = api.call("GET", f"/{'persons' if kind == 'person' else 'companies'}/export.csv")

    assert response.status_code == 200
    text = response.get_data(as_text=True)
    assert len(list(csv.reader(io.StringIO(text, newline="")))) == 1 + len(range(0, len(texts), len(fields)))
    assert dangerous_cells(text) == []
