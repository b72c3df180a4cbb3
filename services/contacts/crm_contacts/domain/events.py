"""The events a contact's life produces, as the bus and the audit log see them."""
from __future__ import annotations

from crm_shared.changes import Change
from crm_shared.events import ObjectChanged

from crm_contacts.domain.model import Contact


def contact_changed(contact: Contact, operation: str, changes: list[Change]) -> ObjectChanged:
    """Describe a committed change of a contact: created, updated, deleted, …"""
    return ObjectChanged(
        object_type=contact.kind,
        object_id=contact.id,
        object_name=contact.display_name,
        object_link=contact.link,
        operation=operation,
        sequence=contact.version,
        changes=tuple(changes),
        state=contact.state(),
    )
