"""The event of a contact being exported to a file (CON-11): no field changes, the format in `data.export`."""
from __future__ import annotations

from crm_shared.events import ObjectChanged

from crm_contacts.domain.events import contact_changed
from crm_contacts.domain.model import Contact

EXPORTED = "exported"


def contact_exported(contact: Contact, file_format: str) -> ObjectChanged:
    """Describe an export of a contact's current version, e.g. `data.export = {"format": "vcf"}`."""
    return contact_changed(contact, EXPORTED, [], extra={"export": {"format": file_format}})
