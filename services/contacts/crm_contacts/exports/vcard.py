"""A small vCard 4.0 writer (RFC 6350): escaping, compound values and line folding."""
from __future__ import annotations

from typing import Iterable

from crm_contacts.domain.model import Company, Contact, Person

MIMETYPE = "text/vcard; charset=utf-8"
PRODID = "-//CRM suite//contacts//EN"
MAX_LINE_OCTETS = 75


def escape(text: str) -> str:
    """Escape a text value: backslash, comma, semicolon and newlines (RFC 6350 §3.4)."""
    text = text.replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;")
    return text.replace("\r\n", "\\n").replace("\r", "\\n").replace("\n", "\\n")


def compound(*components: str | None) -> str:
    """Join the components of a structured value (N, ADR) with semicolons, each escaped."""
    return ";".join(escape(component or "") for component in components)


def text_list(values: Iterable[str]) -> str:
    """Join a multi-valued text (CATEGORIES) with commas, each value escaped."""
    return ",".join(escape(value) for value in values)


def fold(line: str) -> str:
    """Fold a content line into lines of at most 75 octets, never splitting a UTF-8 character."""
    parts: list[str] = []
    current, size, limit = "", 0, MAX_LINE_OCTETS
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            parts.append(current)
            current, size, limit = "", 0, MAX_LINE_OCTETS - 1  # continuation lines start with a space
        current += char
        size += width
    parts.append(current)
    return "\r\n ".join(parts)


def vcard(contact: Contact, *, company_name: str | None = None) -> str:
    """Return one contact as a vCard 4.0 object, CRLF line ends."""
    lines = ["BEGIN:VCARD", "VERSION:4.0", f"PRODID:{PRODID}", f"UID:urn:uuid:{contact.id}"]
    if isinstance(contact, Company):
        lines += _company_lines(contact)
    elif isinstance(contact, Person):
        lines += _person_lines(contact, company_name)
    lines += [f"EMAIL:{escape(email)}" for email in contact.emails]
    lines += [f"TEL:{escape(phone)}" for phone in contact.phones]
    if contact.address:
        a = contact.address
        lines.append("ADR:" + compound("", "", a.get("street"), a.get("city"), "", a.get("postal_code"),
                                       a.get("country")))
    if contact.tags:
        lines.append(f"CATEGORIES:{text_list(contact.tags)}")
    if contact.note:
        lines.append(f"NOTE:{escape(contact.note)}")
    lines.append(f"REV:{contact.updated_at:%Y%m%dT%H%M%SZ}")
    lines.append("END:VCARD")
    return "".join(fold(line) + "\r\n" for line in lines)


def _person_lines(person: Person, company_name: str | None) -> list[str]:
    lines = [f"FN:{escape(person.display_name)}", "N:" + compound(person.last_name, person.first_name, "", "", "")]
    if company_name:
        lines.append(f"ORG:{escape(company_name)}")
    if person.position:
        lines.append(f"TITLE:{escape(person.position)}")
    return lines


def _company_lines(company: Company) -> list[str]:
    lines = ["KIND:org", f"FN:{escape(company.name)}", f"ORG:{escape(company.name)}"]
    if company.website:
        lines.append(f"URL:{escape(company.website)}")
    if company.reg_id:
        lines.append(f"X-CRM-REG-ID:{escape(company.reg_id)}")
    if company.vat_id:
        lines.append(f"X-CRM-VAT-ID:{escape(company.vat_id)}")
    return lines
