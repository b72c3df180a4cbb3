"""The record actions: lock, unlock, invalidate, revalidate, consents, anonymize, security info."""
from __future__ import annotations

from datetime import datetime
from typing import Any, Callable

from crm_shared.changes import Change
from crm_shared.types import utcnow

from crm_contacts.domain import actions
from crm_contacts.domain.actions import Editor
from crm_contacts.domain.events import contact_changed
from crm_contacts.domain.model import Contact, Person
from crm_contacts.domain.visibility import Viewer, rule_for
from crm_contacts.service_layer.access import editor_of, visible_contact
from crm_contacts.service_layer.unit_of_work import ContactsUnitOfWork

Action = Callable[[Contact, Editor, datetime], tuple[Contact, list[Change]]]


def act(uow: ContactsUnitOfWork, kind: str, contact_id: str, viewer: Viewer, operation: str, action: Action,
        *, erases: bool = False) -> Contact:
    """Apply one action to a visible contact; commit it with its event only when it changed something.

    An action that `erases` personal values also drops the published events of the contact
    that the outbox still keeps (those in flight go once its own event is published, `crm_shared.relay`).
    """
    with uow:
        contact = visible_contact(uow, kind, contact_id, viewer, for_update=True)
        changed, changes = action(contact, editor_of(viewer), utcnow())
        if changes:
            uow.contacts.save(changed, contact)
            uow.emit(contact_changed(changed, operation, changes))
            if erases:
                uow.erase_published(contact.id)
            uow.commit()
    return changed


def lock(uow: ContactsUnitOfWork, kind: str, contact_id: str, viewer: Viewer) -> Contact:
    """Lock a record against everybody else's changes."""
    return act(uow, kind, contact_id, viewer, "locked", actions.lock)


def unlock(uow: ContactsUnitOfWork, kind: str, contact_id: str, viewer: Viewer) -> Contact:
    """Unlock a record (its holder or an admin)."""
    return act(uow, kind, contact_id, viewer, "unlocked", actions.unlock)


def invalidate(uow: ContactsUnitOfWork, kind: str, contact_id: str, viewer: Viewer) -> Contact:
    """Hide a record from lists while keeping it and its links."""
    return act(uow, kind, contact_id, viewer, "invalidated",
               lambda c, e, now: actions.set_validity(c, False, e, now))


def revalidate(uow: ContactsUnitOfWork, kind: str, contact_id: str, viewer: Viewer) -> Contact:
    """Bring an invalidated record back into lists and make it editable again."""
    return act(uow, kind, contact_id, viewer, "revalidated",
               lambda c, e, now: actions.set_validity(c, True, e, now))


def set_consent(
    uow: ContactsUnitOfWork, kind: str, contact_id: str, viewer: Viewer, purpose: str, granted: bool,
    source: str | None,
) -> Contact:
    """Grant or withdraw a marketing consent for one purpose (an `updated` event)."""
    return act(uow, kind, contact_id, viewer, "updated",
               lambda c, e, now: actions.set_consent(c, purpose, granted, source, e, now))


def anonymize(uow: ContactsUnitOfWork, contact_id: str, viewer: Viewer) -> Contact:
    """Erase a person's personal fields for good, keeping the record's shell and id."""
    def erase(contact: Contact, editor: Editor, now: datetime) -> tuple[Contact, list[Change]]:
        assert isinstance(contact, Person)
        return actions.anonymize(contact, editor, now)

    return act(uow, "person", contact_id, viewer, "anonymized", erase, erases=True)


def links(uow: ContactsUnitOfWork, kind: str, contact_id: str, viewer: Viewer) -> list[dict[str, Any]]:
    """Return the deals, tasks and interactions that link a visible contact."""
    with uow.reading():
        contact = visible_contact(uow, kind, contact_id, viewer)
        return [link.as_dict() for link in uow.links.of_contact(contact.id)]


def security_info(uow: ContactsUnitOfWork, kind: str, contact_id: str, viewer: Viewer) -> dict[str, Any]:
    """Return who created and changed a record and when, its validity, lock, owner and visibility."""
    with uow.reading():
        contact = visible_contact(uow, kind, contact_id, viewer)
    stamp = lambda value: value.isoformat() if value else None  # noqa: E731
    lock = None
    if contact.locked_by:
        lock = {"holder_id": contact.locked_by, "holder_name": contact.locked_by_name,
                "locked_at": stamp(contact.locked_at)}
    return {
        "id": contact.id, "kind": contact.kind, "version": contact.version,
        "created_by": contact.created_by, "created_at": stamp(contact.created_at),
        "modified_by": contact.updated_by, "modified_at": stamp(contact.updated_at),
        "valid": contact.valid, "anonymized_at": stamp(contact.anonymized_at), "lock": lock,
        "owner_id": contact.owner_id, "visible_to": rule_for(contact.owner_id),
    }
