"""Through the gateway: contact exports, the ARES registry fill, and redaction after anonymizing."""
from __future__ import annotations

import io
import json
import uuid
from typing import Any

import openpyxl
import pypdf
import pytest
import vobject

from crm_suite.testing import Client, RunningSuite, wait_for

pytestmark = pytest.mark.e2e


def entries(client: Client, object_id: str, operation: str, timeout: float = 5.0) -> list[dict[str, Any]]:
    """Wait until an object's history has an entry of `operation`; return the history newest first."""
    return wait_for(lambda: (found := client.audit_entries(object_id=object_id))
                    and any(e["operation"] == operation for e in found) and found, timeout=timeout)


def test_a_person_exported_as_vcard_and_pdf_reads_back_and_each_export_is_logged(suite: RunningSuite) -> None:
    admin = suite.client()
    person = admin.post("/persons", json={"first_name": "Řehoř, ml.", "last_name": "Nováček; Žluťoučký",
                                          "phones": ["+420 601 234 567"]}).json()

    vcf = admin.get(f"/persons/{person['id']}/export.vcf")
    pdf = admin.get(f"/persons/{person['id']}/export.pdf")

    assert vcf.status_code == 200 and pdf.status_code == 200
    card = vobject.readOne(vcf.content.decode("utf-8"))
    assert (card.n.value.family, card.n.value.given) == ("Nováček; Žluťoučký", "Řehoř, ml.")
    assert card.tel.value == "+420 601 234 567"
    assert "Řehoř, ml. Nováček; Žluťoučký" in pypdf.PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text()
    logged = wait_for(lambda: len(found := admin.audit_entries(object_id=person["id"], operation="exported")) == 2
                      and found)
    assert [e["changes"] for e in logged] == [[], []]


def test_registry_fill_copies_the_ares_data_onto_the_company_as_a_logged_update(suite: RunningSuite) -> None:
    admin = suite.client()
    assert admin.get("/registry/companies", params={"ico": "27074359"}).status_code == 422
    assert admin.get("/registry/companies", params={"ico": "12345679"}).status_code == 404
    company = admin.post("/companies", json={"name": "asseco", "reg_id": "27074358"}).json()

    filled = admin.post(f"/companies/{company['id']}/registry-fill")

    assert filled.status_code == 200, filled.text
    assert (filled.json()["name"], filled.json()["vat_id"]) == ("Asseco Central Europe, a.s.", "CZ27074358")
    updated = entries(admin, company["id"], "updated")[0]
    assert {c["field"]: c["after"] for c in updated["changes"]}["name"] == "Asseco Central Europe, a.s."
    links = admin.get(f"/companies/{company['id']}/search-links").json()
    assert links["firmy_cz"].startswith("https://www.firmy.cz/?q=Asseco")


def test_after_anonymizing_neither_the_person_nor_its_history_nor_the_export_holds_the_erased_values(
    suite: RunningSuite,
) -> None:
    admin = suite.client()
    mark = uuid.uuid4().hex[:8]
    erased = [f"Řehoř{mark}", f"Tajný{mark}", f"rehor{mark}@example.cz", f"+420 {int(mark, 16) % 10**9:09d}",
              f"Vodičkova {mark}", f"poznámka {mark}"]
    created = admin.post("/persons", json={"first_name": erased[0], "last_name": erased[1], "emails": [erased[2]],
                                           "phones": [erased[3]]})
    assert created.status_code == 201, created.text
    person = created.json()
    admin.patch(f"/persons/{person['id']}", json={"address": {"street": erased[4]}, "note": erased[5]})
    assert admin.post(f"/persons/{person['id']}/anonymize").status_code == 200

    history = entries(admin, person["id"], "anonymized")
    record = admin.get(f"/persons/{person['id']}").text
    csv_export = admin.get("/audit/entries/export", params={"format": "csv"}).content.decode("utf-8")
    sheet = openpyxl.load_workbook(io.BytesIO(admin.get("/audit/entries/export", params={"format": "xlsx"}).content))
    xlsx_export = json.dumps([list(row) for ws in sheet for row in ws.iter_rows(values_only=True)],
                             ensure_ascii=False, default=str)

    assert [e["operation"] for e in history] == ["anonymized", "updated", "created"]
    for where, text in {"person": record, "history": json.dumps(history, ensure_ascii=False),
                        "csv": csv_export, "xlsx": xlsx_export}.items():
        assert [value for value in erased if value in text] == [], f"erased values readable in the {where}"
    assert person["id"] in csv_export
