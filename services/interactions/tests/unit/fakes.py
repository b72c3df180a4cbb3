"""In-memory repositories of the interactions service, for use-case tests on the kit's fake unit of work."""
from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timezone
from decimal import Decimal
from typing import Any

from crm_shared.copies import supersedes
from crm_shared.envelope import Actor
from crm_shared.testing.fakes import FakeUnitOfWork, InMemoryRepository
from crm_shared.visibility import Seer

from crm_interactions.domain.attachments import Attachment
from crm_interactions.domain.contacts import ContactCopy, GroupCopy
from crm_interactions.domain.entries import Entry
from crm_interactions.domain.query import EntryQuery
from crm_interactions.domain.rules import Rule
from crm_interactions.domain.statistics import Group
from crm_interactions.domain.templates import Template

NOW = datetime(2026, 12, 1, 10, 0, tzinfo=timezone.utc)
ANN = Actor("ann", "Ann Author")


class InMemoryContacts:
    def __init__(self) -> None:
        self.items: dict[str, ContactCopy] = {}

    def get(self, contact_id: str, *, for_update: bool = False) -> ContactCopy | None:
        return self.items.get(contact_id)

    def members(self, group_id: str, owners: tuple[str, ...] | None) -> list[ContactCopy]:
        return sorted((c for c in self.items.values() if group_id in c.groups and not c.gone and not c.pending
                       and (owners is None or c.owner_id in owners)), key=lambda c: c.id)

    def add_pending(self, contact_id: str, kind: str, name: str | None, now: datetime) -> None:
        self.items.setdefault(contact_id, ContactCopy(contact_id, kind, name, None, pending=True))

    def apply(self, copy: ContactCopy, now: datetime) -> bool:
        current = self.items.get(copy.id)
        if not supersedes(copy, current):
            if copy.anonymized and current is not None:
                self.items[copy.id] = replace(current, anonymized=True)
            return False
        self.items[copy.id] = replace(copy, anonymized=copy.anonymized or bool(current and current.anonymized),
                                      owner_id=copy.owner_id or (current.owner_id if current else None))
        return True

    def mark_gone(self, contact_id: str, kind: str, now: datetime) -> None:
        self.add_pending(contact_id, kind, None, now)
        self.items[contact_id] = replace(self.items[contact_id], gone=True, pending=False, groups=())


class InMemoryGroups:
    def __init__(self) -> None:
        self.items: dict[str, GroupCopy] = {}

    def get(self, group_id: str) -> GroupCopy | None:
        return self.items.get(group_id)

    def apply(self, group: GroupCopy) -> bool:
        self.items[group.id] = group
        return True


class InMemoryEntries(InMemoryRepository[Entry]):
    """Entries read with their contact as the copy knows it, like the SQL join."""

    def __init__(self, contacts: InMemoryContacts) -> None:
        super().__init__()
        self.contacts = contacts

    def get(self, entry_id: str, *, owners: tuple[str, ...] | None = None,  # type: ignore[override]
            for_update: bool = False) -> Entry | None:
        entry = self.items.get(entry_id)
        return self._read(entry) if entry and self._visible(entry, owners) else None

    def list(self, query: EntryQuery, owners: tuple[str, ...] | None) -> list[Entry]:  # type: ignore[override]
        return sorted(self.matching(query, owners), key=lambda e: (e.occurred_at, e.id), reverse=True)

    def matching(self, query: EntryQuery, owners: tuple[str, ...] | None) -> list[Entry]:
        return [self._read(e) for e in sorted(self.items.values(), key=lambda e: e.id)
                if self._visible(e, owners) and _matches(e, query)]

    def of_contact(self, contact_id: str) -> list[Entry]:
        return [self._read(e) for e in sorted(self.items.values(), key=lambda e: e.id) if e.contact.id == contact_id]

    def caused(self, event_id: str, contact_id: str) -> bool:
        return any(e.cause_event_id == event_id and e.contact.id == contact_id for e in self.items.values())

    def uses_attachment(self, attachment_id: str, owners: tuple[str, ...] | None) -> bool:
        return any(e.attachment_id == attachment_id and self._visible(e, owners) for e in self.items.values())

    def statistics(self, query: EntryQuery, owners: tuple[str, ...] | None) -> list[Group]:
        groups: dict[tuple[str, str], Group] = {}
        for e in self.matching(query, owners):
            key = (e.method, e.initiated_by)
            old = groups.get(key, Group(e.method, e.initiated_by, 0, Decimal("0"), 0))
            groups[key] = Group(e.method, e.initiated_by, old.count + 1, old.cost + e.cost,
                                old.duration_minutes + e.duration_minutes)
        return list(groups.values())

    def _visible(self, entry: Entry, owners: tuple[str, ...] | None) -> bool:
        copy = self.contacts.get(entry.contact.id)
        return owners is None or (copy is not None and copy.owner_id in owners)

    def _read(self, entry: Entry) -> Entry:
        copy = self.contacts.get(entry.contact.id)
        return replace(entry, contact=copy.ref()) if copy else entry


def _matches(entry: Entry, query: EntryQuery) -> bool:
    checks = [
        query.contact_id in (None, entry.contact.id), query.template_id in (None, entry.template_id),
        query.user_id in (None, entry.user.id), query.status in (None, entry.status),
        query.processed in (None, entry.processed), query.source in (None, entry.source),
        query.ids is None or entry.id in query.ids,
        query.occurred_from is None or entry.occurred_at >= query.occurred_from,
        query.occurred_to is None or entry.occurred_at < query.occurred_to,
    ]
    return all(checks)


class InMemoryTemplates(InMemoryRepository[Template]):
    def with_code(self, code: str) -> Template | None:
        return next((t for t in self.items.values() if t.code == code), None)

    def uses_attachment(self, attachment_id: str) -> bool:
        return any(t.attachment_id == attachment_id for t in self.items.values())


class InMemoryRules(InMemoryRepository[Rule]):
    def enabled(self) -> list[Rule]:
        return [rule for rule in self.items.values() if rule.enabled]

    def uses_template(self, template_id: str) -> bool:
        return any(rule.template_id == template_id for rule in self.items.values())


def fake_uow(actor: Actor = ANN, role: str = "user", team: tuple[str, ...] = (), **kwargs: Any) -> FakeUnitOfWork:
    """A fake unit of work acting and seeing as `actor`, over empty repositories."""
    contacts = InMemoryContacts()
    return FakeUnitOfWork(
        actor=actor, viewer=Seer(actor.id, role, team, actor.name), contacts=contacts, groups=InMemoryGroups(),
        entries=InMemoryEntries(contacts), templates=InMemoryTemplates(), rules=InMemoryRules(),
        attachments=InMemoryRepository[Attachment](), **kwargs)


def known(uow: FakeUnitOfWork, contact_id: str, *, owner: str = "ann", name: str = "Jana Nováková",
          groups: tuple[str, ...] = (), kind: str = "person") -> ContactCopy:
    """Put a contact into the copy as its event would."""
    copy = ContactCopy(contact_id, kind, name, owner, groups=groups, sequence=1)
    uow.contacts.items[contact_id] = copy
    return copy
