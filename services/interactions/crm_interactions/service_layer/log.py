"""Logging entries (manual, for a group, inbound) and working the log: list, cancel, restore, process,
delete canceled ones, statistics."""
from __future__ import annotations

import uuid
from dataclasses import replace
from typing import Any, Mapping

from crm_shared.catalogue import store_update
from crm_shared.errors import ValidationFailed
from crm_shared.pagination import decode_cursor, page
from crm_shared.preconditions import require_match
from crm_shared.types import utcnow

from crm_interactions.adapters.entries import CURSOR_TYPES, sort_key
from crm_interactions.domain.contacts import ContactCopy
from crm_interactions.domain.entries import LOGGED, MANUAL, SEGMENT, Entry, User
from crm_interactions.domain.new_entries import Stamp, inbound_entry, logged_entry
from crm_interactions.domain.events import CANCELED as CANCEL, CREATED, PROCESSED, RESTORED, entry_changed
from crm_interactions.domain.query import EntryQuery
from crm_interactions.domain.statistics import Statistics, statistics_of
from crm_interactions.service_layer.access import (
    owners, referenced_attachment, referenced_contact, referenced_template, seen_entry,
)
from crm_interactions.service_layer.unit_of_work import InteractionsUnitOfWork


def log_interactions(uow: InteractionsUnitOfWork, values: Mapping[str, Any]) -> list[Entry]:
    """Log one entry for a contact, or one per member of a group at this moment, in one transaction."""
    with uow:
        template = referenced_template(uow, values["template_id"])
        referenced_attachment(uow, values.get("attachment_id"))
        if values.get("contact") is not None:
            members, source = [referenced_contact(uow, values["contact"])], MANUAL
        else:
            members, source = _members(uow, values["group_id"]), SEGMENT
        stamp = Stamp(_caller(uow), uow.actor.id, utcnow(), source)
        entries = [logged_entry(template, member.ref(), values, stamp, id=str(uuid.uuid4()),
                                anonymized=member.anonymized) for member in members]
        for entry in entries:
            uow.entries.add(entry)
            uow.emit(entry_changed(entry, CREATED, entry.creation_changes()))
        uow.commit()
    return entries


def record_inbound(uow: InteractionsUnitOfWork, values: Mapping[str, Any]) -> Entry:
    """Record an inbound communication from a contact, not processed yet."""
    with uow:
        contact = referenced_contact(uow, values["contact"])
        stamp = Stamp(_caller(uow), uow.actor.id, utcnow())
        entry = inbound_entry(values["kind"], contact.ref(), values.get("subject"), values.get("occurred_at"), stamp,
                              id=str(uuid.uuid4()), anonymized=contact.anonymized)
        uow.entries.add(entry)
        uow.emit(entry_changed(entry, CREATED, entry.creation_changes()))
        uow.commit()
    return entry


def list_entries(uow: InteractionsUnitOfWork, query: EntryQuery, cursor: str | None) -> tuple[list[Entry], str | None]:
    """Return a page of the entries the caller sees, newest first."""
    with uow.reading():
        rows = uow.entries.list(replace(query, after=decode_cursor(cursor, CURSOR_TYPES)), owners(uow))
    return page(rows, query.limit, sort_key)


def get_entry(uow: InteractionsUnitOfWork, entry_id: str) -> Entry:
    with uow.reading():
        return seen_entry(uow, entry_id)


def cancel_entry(uow: InteractionsUnitOfWork, entry_id: str, if_match: str | None = None) -> Entry:
    """Cancel a logged entry (409 when canceled already)."""
    return _change(uow, entry_id, CANCEL, lambda entry, now: entry.canceled(actor_id=uow.actor.id, now=now), if_match)


def restore_entry(uow: InteractionsUnitOfWork, entry_id: str, if_match: str | None = None) -> Entry:
    """Restore a canceled entry (409 when it is not canceled)."""
    return _change(uow, entry_id, RESTORED, lambda entry, now: entry.restored(actor_id=uow.actor.id, now=now),
                   if_match)


def mark_processed(uow: InteractionsUnitOfWork, entry_id: str, if_match: str | None = None) -> Entry:
    """Mark an inbound entry processed; processing it again changes nothing."""
    return _change(uow, entry_id, PROCESSED,
                   lambda entry, now: entry.marked_processed(actor_id=uow.actor.id, now=now), if_match)


def statistics(uow: InteractionsUnitOfWork, query: EntryQuery) -> Statistics:
    """Sum the visible logged (not canceled) entries the filters match."""
    with uow.reading():
        return statistics_of(uow.entries.statistics(replace(query, status=LOGGED), owners(uow)))


def _change(uow: InteractionsUnitOfWork, entry_id: str, operation: str, change: Any, if_match: str | None) -> Entry:
    with uow:
        entry = seen_entry(uow, entry_id, for_update=True)
        require_match(if_match, entry.version)
        changed = store_update(uow, "entries", change(entry, utcnow()), entry_changed, operation=operation)
        uow.commit()
    return changed


def _members(uow: InteractionsUnitOfWork, group_id: str) -> list[ContactCopy]:
    group = uow.groups.get(group_id)
    if group is None or group.gone:
        raise ValidationFailed({"group_id": [f"No group with id {group_id}."]})
    members = uow.contacts.members(group_id, owners(uow))
    if not members:
        raise ValidationFailed({"group_id": ["The group has no members you can see."]})
    return members


def _caller(uow: InteractionsUnitOfWork) -> User:
    return User(uow.actor.id, uow.actor.name)
