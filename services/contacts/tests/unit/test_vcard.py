"""The vCard 4.0 writer: RFC 6350 escaping and folding, read back by a vCard library."""
from __future__ import annotations

from datetime import datetime, timezone

import vobject

from crm_contacts.domain.model import Company, Person
from crm_contacts.exports.vcard import escape, fold, vcard

NOW = datetime(2026, 11, 22, 10, 15, 30, tzinfo=timezone.utc)
STAMPS = {"version": 3, "created_at": NOW, "created_by": "u-1", "updated_at": NOW, "updated_by": "u-1"}


def person(**values) -> Person:
    return Person(id="6f1c8e64-9a65-4bd0-9d1c-6d7a3f9b8f10", **STAMPS, **values)


def test_a_person_with_diacritics_commas_and_semicolons_reads_back_the_same() -> None:
    tricky = person(
        first_name="Řehoř, ml.", last_name="Nováček; Žluťoučký\\kůň", position="Ředitel; CEO, jednatel",
        emails=["rehor@example.cz"], phones=["+420 601 234 567", "+420 777 888 999"],
        address={"street": "Vodičkova 681/14; dvůr", "city": "Praha, Nové Město", "postal_code": "110 00",
                 "country": "Česká republika"},
        tags=["vip, zlatý", "a;b"], note="Řádek 1\nŘádek 2, s čárkou; a středníkem",
    )

    card = vobject.readOne(vcard(tricky, company_name="ACME, s.r.o.; Praha"))

    assert card.version.value == "4.0"
    assert card.fn.value == "Řehoř, ml. Nováček; Žluťoučký\\kůň"
    assert (card.n.value.family, card.n.value.given) == ("Nováček; Žluťoučký\\kůň", "Řehoř, ml.")
    assert card.title.value == "Ředitel; CEO, jednatel"
    assert card.org.value == ["ACME, s.r.o.; Praha"]
    assert [tel.value for tel in card.tel_list] == ["+420 601 234 567", "+420 777 888 999"]
    assert card.email.value == "rehor@example.cz"
    address = card.adr.value
    assert (address.street, address.city, address.code, address.country) == (
        "Vodičkova 681/14; dvůr", "Praha, Nové Město", "110 00", "Česká republika")
    assert card.categories.value == ["vip, zlatý", "a;b"]
    assert card.note.value == "Řádek 1\nŘádek 2, s čárkou; a středníkem"
    assert card.uid.value == "urn:uuid:6f1c8e64-9a65-4bd0-9d1c-6d7a3f9b8f10"


def test_a_company_card_is_an_organisation_with_its_name() -> None:
    company = Company(id="c-1", **STAMPS, name="Asseco Central Europe, a.s.", reg_id="27074358",
                      vat_id="CZ27074358", website="https://example.cz/a,b")

    card = vobject.readOne(vcard(company))

    assert card.kind.value == "org"
    assert card.fn.value == "Asseco Central Europe, a.s."
    assert card.url.value == "https://example.cz/a,b"
    assert card.contents["x-crm-reg-id"][0].value == "27074358"


def test_text_values_escape_backslash_comma_semicolon_and_newlines() -> None:
    assert escape("a\\b,c;d\ne\r\nf") == "a\\\\b\\,c\\;d\\ne\\nf"


def test_long_lines_fold_at_75_octets_without_splitting_a_character() -> None:
    line = "NOTE:" + "ž" * 100

    folded = fold(line).split("\r\n")

    assert all(len(part.encode("utf-8")) <= 75 for part in folded)
    assert all(part.startswith(" ") for part in folded[1:])
    assert "".join(part[1:] if n else part for n, part in enumerate(folded)) == line


def test_every_line_ends_with_crlf() -> None:
    text = vcard(person(last_name="Nová"))

    assert text.startswith("BEGIN:VCARD\r\nVERSION:4.0\r\n")
    assert text.endswith("END:VCARD\r\n")
    assert "\n" not in text.replace("\r\n", "")
