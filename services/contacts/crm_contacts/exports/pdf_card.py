"""A contact as a one-page PDF card, in DejaVu Sans so that every Czech letter prints."""
from __future__ import annotations

from importlib import resources
from typing import Iterable

from fpdf import FPDF

from crm_contacts.domain.model import Company, Contact, Person

MIMETYPE = "application/pdf"
FONT = "DejaVuSans"
#: the longest note printed in full; a card stays one page
MAX_NOTE_CHARACTERS = 1500


def pdf_card(contact: Contact, *, company_name: str | None = None) -> bytes:
    """Return the PDF of one contact's card: name, then each set field as a labelled line."""
    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(False)
    pdf.set_title(contact.display_name)
    pdf.set_creator("CRM suite")
    _fonts(pdf)
    pdf.add_page()
    pdf.set_font(FONT, "B", 20)
    pdf.multi_cell(0, 10, contact.display_name or "—", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.set_font(FONT, "", 11)
    for label, value in _fields(contact, company_name):
        pdf.set_font(FONT, "B", 11)
        pdf.cell(40, 7, label)
        pdf.set_font(FONT, "", 11)
        pdf.multi_cell(0, 7, value, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def _fonts(pdf: FPDF) -> None:
    folder = resources.files("crm_contacts.exports") / "fonts"
    with resources.as_file(folder / "DejaVuSans.ttf") as regular, \
            resources.as_file(folder / "DejaVuSans-Bold.ttf") as bold:
        pdf.add_font(FONT, "", str(regular))
        pdf.add_font(FONT, "B", str(bold))


def _fields(contact: Contact, company_name: str | None) -> Iterable[tuple[str, str]]:
    if isinstance(contact, Person):
        yield from _present(("Position", contact.position), ("Company", company_name))
    if isinstance(contact, Company):
        yield from _present(("IČO", contact.reg_id), ("DIČ", contact.vat_id), ("Website", contact.website))
    yield from _present(
        ("E-mail", ", ".join(contact.emails)),
        ("Phone", ", ".join(contact.phones)),
        ("Address", _address(contact.address)),
        ("Tags", ", ".join(contact.tags)),
        ("Note", _shortened(contact.note)),
    )


def _present(*pairs: tuple[str, str | None]) -> Iterable[tuple[str, str]]:
    return ((label, value) for label, value in pairs if value)


def _address(address: dict[str, str] | None) -> str:
    if not address:
        return ""
    town = " ".join(part for part in (address.get("postal_code"), address.get("city")) if part)
    return "\n".join(part for part in (address.get("street"), town, address.get("country")) if part)


def _shortened(note: str | None) -> str:
    if not note or len(note) <= MAX_NOTE_CHARACTERS:
        return note or ""
    return note[:MAX_NOTE_CHARACTERS].rstrip() + " …"
