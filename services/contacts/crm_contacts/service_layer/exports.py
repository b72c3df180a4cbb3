"""Exporting contacts as files: one record as .vcf / .pdf (an event of its own), a list as .vcf / .xlsx / .csv."""
from __future__ import annotations

import unicodedata
from dataclasses import replace
from typing import Callable, Iterator

from crm_shared.errors import Problem
from crm_shared.tabular import ExportFile, table_export
from crm_shared.types import utcnow

from crm_contacts.adapters.repository import ListQuery
from crm_contacts.domain.exported import contact_exported
from crm_contacts.domain.model import Contact, Person
from crm_contacts.domain.visibility import Viewer
from crm_contacts.exports import pdf_card, table, vcard
from crm_contacts.service_layer.contacts import get_contact, list_contacts
from crm_contacts.service_layer.unit_of_work import ContactsUnitOfWork

RECORD_FORMATS = ("vcf", "pdf")
LIST_FORMATS = ("vcf", "xlsx", "csv")
#: contacts read per page while a list is exported
PAGE_SIZE = 500

#: a fresh unit of work for the caller, one per transaction
Uows = Callable[[], ContactsUnitOfWork]


def export_contact(uows: Uows, kind: str, contact_id: str, file_format: str, viewer: Viewer) -> ExportFile:
    """Render one contact the viewer may see as .vcf or .pdf, and commit its `exported` event."""
    contact = get_contact(uows(), kind, contact_id, viewer)
    company = _company_names(uows, viewer)(contact)
    if file_format == "pdf":
        content, mimetype = pdf_card.pdf_card(contact, company_name=company), pdf_card.MIMETYPE
    else:
        content, mimetype = vcard.vcard(contact, company_name=company).encode("utf-8"), vcard.MIMETYPE
    with uows() as uow:
        uow.emit(contact_exported(contact, file_format))
        uow.commit()
    return ExportFile(f"{_file_stem(contact.display_name) or contact.kind}.{file_format}", mimetype, [content])


def export_list(uows: Uows, query: ListQuery, file_format: str, viewer: Viewer) -> ExportFile:
    """Render the filtered list the viewer sees, read page by page through the list use case, as one file."""
    contacts = _every_page(uows, replace(query, limit=PAGE_SIZE), viewer)
    filename = f"{query.kind}-list-{utcnow():%Y%m%dT%H%M%SZ}.{file_format}"
    if file_format == "vcf":
        names = _company_names(uows, viewer)
        cards = (vcard.vcard(c, company_name=names(c)).encode("utf-8") for c in contacts)
        return ExportFile(filename, vcard.MIMETYPE, cards)
    rows = (table.row(contact) for contact in contacts)
    return table_export(filename, file_format, table.header(query.kind), rows, sheet_name=table.SHEET_NAME)


def _every_page(uows: Uows, query: ListQuery, viewer: Viewer) -> Iterator[Contact]:
    # The first page is read now, so that a bad filter is refused before the file starts.
    items, cursor = list_contacts(uows(), query, None, viewer)

    def walk(items: list[Contact], cursor: str | None) -> Iterator[Contact]:
        yield from items
        while cursor:
            items, cursor = list_contacts(uows(), query, cursor, viewer)
            yield from items

    return walk(items, cursor)


def _company_names(uows: Uows, viewer: Viewer) -> Callable[[Contact], str | None]:
    """Return a lookup of a person's company name; companies the viewer may not see give None."""
    known: dict[str, str | None] = {}

    def name_of(contact: Contact) -> str | None:
        if not isinstance(contact, Person) or not contact.company_id:
            return None
        if contact.company_id not in known:
            try:
                company = get_contact(uows(), "company", contact.company_id, viewer)
                known[contact.company_id] = company.display_name
            except Problem as problem:
                if problem.status not in (403, 404):
                    raise
                known[contact.company_id] = None
        return known[contact.company_id]

    return name_of


def _file_stem(name: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return "-".join("".join(ch if ch.isalnum() else " " for ch in ascii_name).split())[:80]
