"""Importing persons and companies over the API: dry run, the job, re-runs, and every refusal as a 4xx."""
from __future__ import annotations

import io
import threading
from pathlib import Path
from typing import Any, Iterator

import openpyxl
import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient

from crm_shared.service_app import context_of
from crm_shared.testing.apps import migrated_app
from crm_shared.testing.tokens import TokenIssuer
from crm_shared.unit_of_work import factory_of

from crm_contacts.app import create_app
from crm_contacts.declaration import SERVICE
from crm_contacts.import_worker import ImportWorker
from crm_contacts.service_layer.imports import claim_import
from crm_contacts.service_layer.unit_of_work import ContactsUnitOfWork

from .conftest import ALICE, ContactsApi

PERSONS = (
    "\ufefffirst_name;last_name;emails;phones;tags\n"
    "Jana;Nováková;jana@example.com;+420 111 222 333, +420 444 555 666;\"vip;lead\"\n"
    ";;;;\n"
    "Petr;;not-an-email;;\n"
    "Eva;Malá;;;\n"
)


#: the refusals do not depend on the database: they run on SQLite only
sqlite_only = pytest.mark.parametrize("any_database_url", ["sqlite"], indirect=True)


def upload(api: ContactsApi, kind: str, content: bytes, filename: str = "contacts.csv", user: str = "alice",
           dry_run: bool = False) -> Any:
    return api.call("POST", f"/{kind}/import{'?dry_run=true' if dry_run else ''}", user=user,
                    data={"file": (io.BytesIO(content), filename)}, content_type="multipart/form-data")


def run_jobs(api: ContactsApi) -> None:
    """Let a worker import every pending job, then stop it."""
    stop = threading.Event()
    worker = ImportWorker(factory_of(ContactsUnitOfWork, api.engine), stop, poll_seconds=0.01)
    while (job := claim_import(worker.uows())) is not None:
        worker.finish(job.id)


@sqlite_only
def test_a_dry_run_names_the_invalid_rows_by_their_row_in_the_file_and_writes_nothing(contacts: ContactsApi) -> None:
    answer = upload(contacts, "persons", PERSONS.encode(), dry_run=True)

    assert answer.status_code == 200, answer.get_json()
    body = answer.get_json()
    assert (body["total"], body["created"], body["invalid"]) == (3, 2, 1)
    assert body["invalid_rows"] == [{"row": 4, "errors": {"emails.0": ["Not a valid email address."]}}]
    assert body["rows"][0] == {"row": 2, "action": "create", "name": "Jana Nováková"}
    assert contacts.events() == []
    assert contacts.call("GET", "/persons").get_json()["items"] == []


def test_an_import_is_a_job_whose_rows_are_created_with_the_channel_import_and_a_rerun_skips_them(
    contacts: ContactsApi,
) -> None:
    started = upload(contacts, "persons", PERSONS.encode())
    assert started.status_code == 202, started.get_json()
    location = started.headers["Location"]
    assert location == f"/api/v1/imports/{started.get_json()['id']}" and started.get_json()["status"] == "pending"

    run_jobs(contacts)

    job = contacts.client.get(location, headers=contacts.users["alice"]).get_json()
    assert (job["status"], job["total"], job["processed"], job["created"], job["invalid"]) == ("done", 3, 3, 2, 1)
    assert job["invalid_rows"] == [{"row": 4, "errors": {"emails.0": ["Not a valid email address."]}}]
    events = contacts.events()
    assert [(e["type"], e["actorchannel"], e["actorid"]) for e in events] == [("crm.person.created", "import", ALICE)] * 2
    jana = events[0]["data"]["state"]
    assert (jana["phones"], jana["tags"]) == (["+420 111 222 333", "+420 444 555 666"], ["vip", "lead"])

    again = upload(contacts, "persons", PERSONS.encode())
    run_jobs(contacts)
    rerun = contacts.client.get(again.headers["Location"], headers=contacts.users["alice"]).get_json()
    assert (rerun["created"], rerun["skipped"], rerun["invalid"]) == (0, 2, 1)
    assert len(contacts.events()) == 2


@sqlite_only
def test_only_the_importer_and_admins_see_a_job(contacts: ContactsApi) -> None:
    location = upload(contacts, "persons", PERSONS.encode()).headers["Location"]
    path = location.removeprefix("/api/v1")

    assert contacts.call("GET", path, user="bob").status_code == 404
    assert contacts.call("GET", path, user="admin").status_code == 200
    assert contacts.call("GET", "/imports/00000000-0000-0000-0000-000000000000").status_code == 404


def test_companies_import_from_an_xlsx_sheet_and_a_formula_cell_is_an_invalid_row(contacts: ContactsApi) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["name", "reg_id", "address.city", "tags"])
    sheet.append(["ACME s.r.o.", 27074358, "Praha", "b2b, cz"])
    sheet.append(["=HYPERLINK(\"http://x\")", None, None, None])
    content = io.BytesIO()
    book.save(content)

    body = upload(contacts, "companies", content.getvalue(), "firms.xlsx", dry_run=True).get_json()

    assert body["rows"][0] == {"row": 2, "action": "create", "name": "ACME s.r.o."}
    assert body["invalid_rows"] == [{"row": 3, "errors": {"name": ["A formula is not imported: the cell must hold "
                                                                   "the value itself."]}}]
    upload(contacts, "companies", content.getvalue(), "firms.xlsx")
    run_jobs(contacts)
    created = contacts.last_event()["data"]["state"]
    assert (created["reg_id"], created["address"], created["tags"]) == ("27074358", {"city": "Praha"}, ["b2b", "cz"])


UNREADABLE = [
    (b"first_name,nickname,shoe size\nJana,J,38\n", "Unknown columns: nickname, shoe size"),
    (b"first_name,,last_name\nJana,x,N\n", "Column 2 has no name"),
    (b"last_name,last_name\nN,M\n", "Repeated columns: last_name"),
    (b"\xff\xfe\x00f\x00i", "neither UTF-8 text nor an .xlsx workbook"),
    (b"PK\x03\x04 broken zip", "not a readable .xlsx workbook"),
    (b"", "The file is empty"),
    (b'last_name\n"unterminated\n', "not valid CSV"),
]


@sqlite_only
def test_a_file_that_cannot_be_imported_is_a_422_on_file_and_changes_nothing(contacts: ContactsApi) -> None:
    for content, named in UNREADABLE:
        for dry_run in (True, False):
            answer = upload(contacts, "persons", content, dry_run=dry_run)
            assert answer.status_code == 422 and answer.mimetype == "application/problem+json", answer.get_json()
            assert named in " ".join(answer.get_json()["errors"]["file"]), answer.get_json()
    assert contacts.events() == []
    with contacts.engine.connect() as connection:
        assert connection.execute(sa.text("SELECT count(*) FROM import_jobs")).scalar() == 0


@sqlite_only
def test_nul_a_missing_file_and_unknown_form_fields_are_4xx_naming_what_is_wrong(contacts: ContactsApi) -> None:
    nul = upload(contacts, "persons", b"last_name,note\nNov\x00\xc3\xa1,ok\n", dry_run=True).get_json()
    assert nul["invalid_rows"] == [{"row": 2, "errors": {"last_name": ["Must not contain NUL characters."]}}]
    missing = contacts.call("POST", "/persons/import", data={}, content_type="multipart/form-data")
    assert missing.status_code == 422 and "file" in missing.get_json()["errors"]
    odd = contacts.call("POST", "/persons/import?dry_run=maybe", data={"file": (io.BytesIO(b"last_name\nN\n"), "a.csv")},
                        content_type="multipart/form-data")
    assert odd.status_code == 422 and "dry_run" in odd.get_json()["errors"]


@pytest.fixture
def small_limit(sqlite_url: str, tmp_path: Path, issuer: TokenIssuer) -> Iterator[tuple[FlaskClient, Any]]:
    with migrated_app(SERVICE, create_app, sqlite_url, tmp_path, issuer.verifier(),
                      env={"CRM_CONTACTS_MAX_IMPORT_BYTES": "1000"}) as app:
        yield app.test_client(), context_of(app).engine


def test_a_file_over_the_size_limit_is_a_413(small_limit: tuple[FlaskClient, Any], issuer: TokenIssuer) -> None:
    client, _engine = small_limit
    big = b"last_name\n" + b"Novak\n" * 400
    answer = client.post("/api/v1/persons/import", headers=issuer.headers("user", user_id=ALICE),
                         data={"file": (io.BytesIO(big), "big.csv")}, content_type="multipart/form-data")
    assert answer.status_code == 413 and answer.mimetype == "application/problem+json"
