"""The spreadsheet view of a contact list: one row per contact, every value as text."""
from __future__ import annotations

from typing import Any, Callable

from crm_contacts.domain.model import Contact

SHEET_NAME = "Contacts"
ADDRESS_PARTS = ("street", "city", "postal_code", "country")
#: (header, how to read the cell) per kind, in column order
COLUMNS: dict[str, list[tuple[str, Callable[[Any], Any]]]] = {
    "person": [
        ("ID", lambda c: c.id), ("First name", lambda c: c.first_name), ("Last name", lambda c: c.last_name),
        ("Position", lambda c: c.position), ("Company ID", lambda c: c.company_id),
    ],
    "company": [
        ("ID", lambda c: c.id), ("Name", lambda c: c.name), ("IČO", lambda c: c.reg_id),
        ("DIČ", lambda c: c.vat_id), ("Website", lambda c: c.website),
    ],
}
COMMON: list[tuple[str, Callable[[Any], Any]]] = [
    ("E-mails", lambda c: c.emails), ("Phones", lambda c: c.phones),
    *[(part.replace("_", " ").capitalize(), lambda c, p=part: (c.address or {}).get(p)) for part in ADDRESS_PARTS],
    ("Tags", lambda c: c.tags), ("Note", lambda c: c.note), ("Owner ID", lambda c: c.owner_id),
    ("Valid", lambda c: c.valid), ("Created", lambda c: c.created_at.isoformat()),
    ("Updated", lambda c: c.updated_at.isoformat()),
]


def header(kind: str) -> list[str]:
    """Return the header row of a list of `kind`."""
    return [title for title, _ in COLUMNS[kind] + COMMON]


def row(contact: Contact) -> list[str]:
    """Return one contact as text cells under `header(contact.kind)`."""
    return [_text(read(contact)) for _, read in COLUMNS[contact.kind] + COMMON]


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    return str(value)
