"""The copies of contacts and groups, kept from the contacts service's events."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from crm_shared.copies import supersedes
from crm_shared.upsert import insert_missing, upsert

from crm_interactions.adapters.tables import contact_groups, contacts, groups
from crm_interactions.domain.contacts import ContactCopy, GroupCopy

FIELDS = ("id", "kind", "name", "owner_id", "anonymized", "pending", "gone", "sequence")


class ContactCopies:
    """Persons and companies as their last event described them, with their groups."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def get(self, contact_id: str, *, for_update: bool = False) -> ContactCopy | None:
        query = sa.select(contacts).where(contacts.c.id == contact_id)
        row = self.connection.execute(query.with_for_update() if for_update else query).mappings().first()
        if row is None:
            return None
        member_of = sa.select(contact_groups.c.group_id).where(contact_groups.c.contact_id == contact_id)
        group_ids = tuple(sorted(self.connection.execute(member_of).scalars()))
        return ContactCopy(groups=group_ids, **{key: row[key] for key in FIELDS})

    def members(self, group_id: str, owners: tuple[str, ...] | None) -> list[ContactCopy]:
        """Return the contacts (not gone) in a group that the owners' viewer may see, in id order."""
        query = (sa.select(contacts).join(contact_groups, contact_groups.c.contact_id == contacts.c.id)
                 .where(contact_groups.c.group_id == group_id, contacts.c.gone.is_(False),
                        contacts.c.pending.is_(False))
                 .order_by(contacts.c.id))
        if owners is not None:
            query = query.where(contacts.c.owner_id.in_(owners))
        return [ContactCopy(**{key: row[key] for key in FIELDS}) for row in self.connection.execute(query).mappings()]

    def add_pending(self, contact_id: str, kind: str, name: str | None, now: datetime) -> None:
        """Remember a contact an event linked before the contact's own event arrived."""
        insert_missing(self.connection, contacts, {
            "id": contact_id, "kind": kind, "name": name, "owner_id": None, "valid": True, "pending": True,
            "gone": False, "sequence": 0, "anonymized": False, "updated_at": now})

    def apply(self, copy: ContactCopy, now: datetime) -> bool:
        """Store a contact's newer state; return False when the copy already has a newer one."""
        # Taking the row first (a pending placeholder when there is none) and its lock orders
        # two transactions applying events of the same contact: no duplicate key, newest wins.
        self.add_pending(copy.id, copy.kind, copy.name, now)
        current = self.get(copy.id, for_update=True)
        if not supersedes(copy, current):
            if copy.anonymized:  # an anonymization counts even when its event comes late
                self.connection.execute(contacts.update().where(contacts.c.id == copy.id).values(anonymized=True))
            return False
        values = {key: getattr(copy, key) for key in FIELDS if key != "id"}
        # once anonymized, always anonymized; a state naming no owner (a bare deletion) keeps the known one
        values.update(pending=False, valid=True, updated_at=now,
                      anonymized=copy.anonymized or bool(current and current.anonymized),
                      owner_id=copy.owner_id or (current.owner_id if current else None))
        self.connection.execute(contacts.update().where(contacts.c.id == copy.id).values(**values))
        self.connection.execute(contact_groups.delete().where(contact_groups.c.contact_id == copy.id))
        if copy.groups and not copy.gone:
            self.connection.execute(contact_groups.insert(),
                                    [{"contact_id": copy.id, "group_id": group} for group in copy.groups])
        return True

    def mark_gone(self, contact_id: str, kind: str, now: datetime) -> None:
        """Remember that a contact was merged into another (its name stays for the history)."""
        self.add_pending(contact_id, kind, None, now)
        self.connection.execute(contacts.update().where(contacts.c.id == contact_id)
                                .values(gone=True, pending=False, updated_at=now))
        self.connection.execute(contact_groups.delete().where(contact_groups.c.contact_id == contact_id))


class GroupCopies:
    """Groups as their last event described them."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def get(self, group_id: str) -> GroupCopy | None:
        row = self.connection.execute(sa.select(groups).where(groups.c.id == group_id)).mappings().first()
        return GroupCopy(**row) if row else None

    def apply(self, group: GroupCopy) -> bool:
        """Store a group's newer state; a deleted group stays deleted."""
        current = self.get(group.id)
        if current is not None and (current.gone or group.sequence <= current.sequence and not group.gone):
            return False
        upsert(self.connection, groups, {"id": group.id, "name": group.name, "gone": group.gone,
                                         "sequence": group.sequence}, keys=("id",))
        return True
