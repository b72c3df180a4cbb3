"""The PDF card: one page, Czech letters intact, the name on it."""
from __future__ import annotations

import io
from datetime import datetime, timezone

import pypdf

from crm_contacts.domain.model import Company, Person
from crm_contacts.exports.pdf_card import pdf_card

NOW = datetime(2026, 11, 22, 10, 15, 30, tzinfo=timezone.utc)
STAMPS = {"version": 1, "created_at": NOW, "created_by": "u-1", "updated_at": NOW, "updated_by": "u-1"}


def text_of(pdf: bytes) -> tuple[int, str]:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return len(reader.pages), reader.pages[0].extract_text()


def test_a_person_card_is_one_page_showing_the_name_with_its_diacritics() -> None:
    person = Person(id="p-1", **STAMPS, first_name="Řehoř", last_name="Žluťoučký", position="Ředitel",
                    phones=["+420 601 234 567"], note="poznámka " * 1000)

    pages, text = text_of(pdf_card(person, company_name="ACME s.r.o."))

    assert pages == 1
    assert "Řehoř Žluťoučký" in text
    assert "ACME s.r.o." in text and "+420 601 234 567" in text


def test_a_company_card_shows_its_ico_and_dic() -> None:
    company = Company(id="c-1", **STAMPS, name="Řeznictví U Nováčků s.r.o.", reg_id="25596641", vat_id="CZ25596641")

    pages, text = text_of(pdf_card(company))

    assert pages == 1
    assert "Řeznictví U Nováčků s.r.o." in text and "25596641" in text
