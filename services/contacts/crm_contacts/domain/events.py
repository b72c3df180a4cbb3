"""The events a contact's (or group's) life produces, as the bus and the audit log see them."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

from crm_shared.changes import Change
from crm_shared.events import ObjectChanged

if TYPE_CHECKING:
    from crm_contacts.domain.model import Contact


class Recorded(Protocol):
    """What an event describes: a contact or a group."""

    kind: str
    id: str
    version: int

    @property
    def display_name(self) -> str: ...

    @property
    def link(self) -> str: ...

    def state(self) -> dict[str, Any]: ...


def contact_changed(
    contact: Recorded, operation: str, changes: list[Change], extra: dict[str, Any] | None = None
) -> ObjectChanged:
    """Describe a committed change of a contact or group: created, updated, merged, locked, …"""
    return ObjectChanged(
        object_type=contact.kind,
        object_id=contact.id,
        object_name=contact.display_name,
        object_link=contact.link,
        operation=operation,
        sequence=contact.version,
        changes=tuple(changes),
        state=contact.state(),
        extra=dict(extra or {}),
    )


def contact_created(contact: "Contact") -> ObjectChanged:
    """Describe a new contact: every set field as a change from nothing."""
    return contact_changed(contact, "created", contact.creation_changes())
