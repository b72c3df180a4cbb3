"""The record actions on a contact besides editing: lock, validity, consents, anonymization.

Each returns the next version of the contact and the field changes it made; an action
that changes nothing returns the contact itself and no changes (and so emits no event).
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from crm_shared.changes import Change
from crm_shared.erasure import without_before_values
from crm_shared.rules import RecordLocked, StateConflict

from crm_contacts.domain.model import Contact, Person

#: the fields anonymization erases for good (the shell, tags, groups and owner stay)
PERSONAL_FIELDS = ("first_name", "last_name", "emails", "phones", "position", "address", "note", "consents")


@dataclass(frozen=True)
class Editor:
    """Who acts on a record: the lock and the admin role decide what they may do."""

    id: str
    name: str
    is_admin: bool = False


class ContactLocked(RecordLocked):
    """The record is locked by someone else (answered 423 naming the holder)."""

    def __init__(self, contact: Contact) -> None:
        holder = contact.locked_by_name or contact.locked_by
        since = contact.locked_at.isoformat() if contact.locked_at else "?"
        super().__init__(f"The record is locked by {holder} since {since}; only they or an admin can unlock it.",
                         holder_id=contact.locked_by, holder_name=holder)


class ContactInvalid(StateConflict):
    """The record is invalidated; it must be revalidated before it is edited."""

    def __init__(self, contact: Contact) -> None:
        super().__init__(f"The {contact.kind} is invalidated; revalidate it before changing it.")


def ensure_editable(contact: Contact, editor: Editor, *, allow_invalid: bool = False) -> None:
    """Refuse a change by anyone but the lock holder, and any change of an invalid record."""
    if contact.locked_by and contact.locked_by != editor.id:
        raise ContactLocked(contact)
    if not contact.valid and not allow_invalid:
        raise ContactInvalid(contact)


def lock(contact: Contact, editor: Editor, now: datetime) -> tuple[Contact, list[Change]]:
    """Lock the record for `editor`; locking one's own lock again changes nothing."""
    ensure_editable(contact, editor, allow_invalid=True)
    if contact.locked_by == editor.id:
        return contact, []
    locked = replace(contact, locked_by=editor.id, locked_by_name=editor.name, locked_at=now)
    changes = [Change("locked_by", None, editor.id), Change("locked_at", None, now.isoformat())]
    return contact.next_version(locked, actor_id=editor.id, now=now), changes


def unlock(contact: Contact, editor: Editor, now: datetime) -> tuple[Contact, list[Change]]:
    """Unlock the record; only its holder or an admin may."""
    if contact.locked_by is None:
        return contact, []
    if contact.locked_by != editor.id and not editor.is_admin:
        raise ContactLocked(contact)
    assert contact.locked_at is not None
    unlocked = replace(contact, locked_by=None, locked_by_name=None, locked_at=None)
    changes = [Change("locked_by", contact.locked_by, None), Change("locked_at", contact.locked_at.isoformat(), None)]
    return contact.next_version(unlocked, actor_id=editor.id, now=now), changes


def set_validity(contact: Contact, valid: bool, editor: Editor, now: datetime) -> tuple[Contact, list[Change]]:
    """Invalidate (hide from lists) or revalidate the record."""
    ensure_editable(contact, editor, allow_invalid=True)
    return contact.changed_to(replace(contact, valid=valid), ("valid",), actor_id=editor.id, now=now)


def set_consent(
    contact: Contact, purpose: str, granted: bool, source: str | None, editor: Editor, now: datetime
) -> tuple[Contact, list[Change]]:
    """Grant or withdraw the consent for one purpose, with its source and time."""
    ensure_editable(contact, editor)
    before = contact.consents.get(purpose)
    if before and before["granted"] == granted and before.get("source") == source:
        return contact, []
    after = {"granted": granted, "source": source, "at": now.isoformat()}
    consents = {**contact.consents, purpose: after}
    changed = contact.next_version(replace(contact, consents=consents), actor_id=editor.id, now=now)
    return changed, [Change(f"consents.{purpose}", before, after)]


def anonymize(person: Person, editor: Editor, now: datetime) -> tuple[Contact, list[Change]]:
    """Erase the personal fields for good; every erased field is a change from `[redacted]` to null.

    The changes name the erased fields and never their values: the event goes to every consumer
    and stays in the outbox for a while, and each would have to erase those values again.
    """
    ensure_editable(person, editor, allow_invalid=True)
    if person.anonymized_at is not None:
        return person, []
    changes = without_before_values([Change(name, getattr(person, name), None)
                                     for name in PERSONAL_FIELDS if getattr(person, name)])
    erased = replace(
        person, first_name=None, last_name=None, emails=[], phones=[], position=None, address=None,
        note=None, consents={}, anonymized_at=now,
    )
    return person.next_version(erased, actor_id=editor.id, now=now), changes
