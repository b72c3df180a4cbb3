"""The consumer's use cases: keeping the copies of contacts and groups, following merges and anonymization
(INT-7), and logging the entries automatic rules ask for (INT-3).

Each event is handled in its own savepoint of the consumer's transaction (the one holding the
inbox rows); the entries it creates, moves or redacts emit their events, correlated with it, into
the outbox of that transaction: rule-made entries and a merge's moves as an automation acting for
the user who caused them (channel `automation`), redactions as the system.
"""
from __future__ import annotations

import uuid
from typing import Sequence

from crm_shared.envelope import CloudEvent, automation_by
from crm_shared.links import CONTACT_KINDS
from crm_shared.types import utcnow

from crm_interactions.domain.contacts import ContactCopy, contact_of, group_of, merged_from, merged_into
from crm_interactions.domain.entries import RULE, User
from crm_interactions.domain.new_entries import Stamp, logged_entry
from crm_interactions.domain.events import ANONYMIZED, CREATED, UPDATED, entry_changed
from crm_interactions.domain.rules import OWN_PREFIXES, Rule, linked_contacts
from crm_interactions.service_layer.unit_of_work import InteractionsUnitOfWork

GROUP = "group"


def handle_events(uow: InteractionsUnitOfWork, events: Sequence[CloudEvent]) -> None:
    """Apply contact and group events and run the rules on every event; InvalidEvent for a wrong shape."""
    # the queue hears every event of the suite: the (few) enabled rules are read once per batch
    rules = uow.rules.enabled()
    for event in events:
        if event.type.startswith(OWN_PREFIXES):
            continue
        kind, _, operation = event.type.removeprefix("crm.").partition(".")
        with uow.caused_by(event):
            if kind in CONTACT_KINDS:
                _contact(uow, event, kind, operation)
            elif kind == GROUP:
                uow.groups.apply(group_of(event.data, event.sequence, gone=operation == "deleted"))
            _apply_rules(uow, event, rules)
            uow.commit()


def _contact(uow: InteractionsUnitOfWork, event: CloudEvent, kind: str, operation: str) -> None:
    now = utcnow()
    incoming = contact_of(event.data, kind, event.sequence, gone=operation == "deleted")
    before = uow.contacts.get(incoming.id)
    uow.contacts.apply(incoming, now)
    if operation == "merged":
        for source_id in merged_from(event.data):
            uow.contacts.mark_gone(source_id, kind, now)
            _move(uow, event, source_id, incoming.id)
    target_id = merged_into(event.data) if operation == "deleted" else None
    if target_id:
        uow.contacts.add_pending(target_id, kind, None, now)
        _move(uow, event, incoming.id, target_id)
    # the first event saying so (an `anonymized`, or a later state arriving first) redacts, once
    if incoming.anonymized and not (before and before.anonymized):
        _redact(uow, incoming.id)


def _move(uow: InteractionsUnitOfWork, cause: CloudEvent, source_id: str, target_id: str) -> None:
    """Point the entries of a merged contact at the contact it was merged into, each an audited change."""
    with uow.acting_as(automation_by(cause)):
        _move_entries(uow, source_id, target_id)


def _move_entries(uow: InteractionsUnitOfWork, source_id: str, target_id: str) -> None:
    target = uow.contacts.get(target_id)
    assert target is not None
    now = utcnow()
    for entry in uow.entries.of_contact(source_id):
        if target.anonymized:
            changed, changes = entry.redacted(target.ref(), actor_id=uow.actor.id, now=now)
        else:
            changed, changes = entry.moved_to(target.ref(), actor_id=uow.actor.id, now=now)
        uow.entries.save(changed)
        uow.emit(entry_changed(changed, ANONYMIZED if target.anonymized else UPDATED, changes))


def _redact(uow: InteractionsUnitOfWork, contact_id: str) -> None:
    """Drop an anonymized contact's personal values from each of its entries (and, by the event, their audit),
    and the published events naming it; each entry's `anonymized` event, once published, takes the
    entry's earlier ones with it (`crm_shared.relay`)."""
    contact = uow.contacts.get(contact_id)
    assert contact is not None
    now = utcnow()
    for entry in uow.entries.of_contact(contact_id):
        changed, changes = entry.redacted(contact.ref(), actor_id=uow.actor.id, now=now)
        uow.entries.save(changed)
        uow.emit(entry_changed(changed, ANONYMIZED, changes))
    uow.erase_published(contact_id)


def _apply_rules(uow: InteractionsUnitOfWork, event: CloudEvent, rules: Sequence[Rule]) -> None:
    matching = [rule for rule in rules if rule.matches(event.type, event.data)]
    if not matching:
        return
    linked = linked_contacts(event.type, event.data)
    with uow.acting_as(automation_by(event)):
        for rule in matching:
            _log_for(uow, event, rule, linked)


def _log_for(uow: InteractionsUnitOfWork, event: CloudEvent, rule: Rule,
             linked: list[tuple[str, str, str | None]]) -> None:
    """Log the rule's template once per event and linked contact, as the event's actor did it."""
    template = uow.templates.get(rule.template_id)
    if template is None:
        return
    now = utcnow()
    stamp = Stamp(User(event.actorid, event.actorname), uow.actor.id, now, RULE, event.id)
    for kind, contact_id, name in linked:
        contact = _known(uow, kind, contact_id, name)
        if contact.gone or contact.kind != kind or uow.entries.caused(event.id, contact_id):
            continue
        entry = logged_entry(template, contact.ref(), {"occurred_at": event.time}, stamp, id=str(uuid.uuid4()),
                             anonymized=contact.anonymized)
        uow.entries.add(entry)
        uow.emit(entry_changed(entry, CREATED, entry.creation_changes()))


def _known(uow: InteractionsUnitOfWork, kind: str, contact_id: str, name: str | None) -> ContactCopy:
    """Return the copy of a linked contact, pending (named by the link) when its own event has not arrived."""
    contact = uow.contacts.get(contact_id)
    if contact is None:
        uow.contacts.add_pending(contact_id, kind, name, utcnow())
        contact = uow.contacts.get(contact_id)
        assert contact is not None
    return contact
