"""The deals service's own copy of the contacts it links: id, kind, name, validity."""
from __future__ import annotations

from datetime import datetime
from typing import Iterable

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from crm_shared.copies import supersedes
from crm_shared.upsert import insert_missing

from crm_deals.adapters.tables import contacts
from crm_deals.domain.known_contacts import KnownContact

__all__ = ["ContactCopies", "KnownContact", "names_of"]


def names_of(connection: Connection, ids: Iterable[str]) -> dict[str, tuple[str | None, str | None]]:
    """Return the known names and owners of contacts by id (None while pending or not known)."""
    wanted = list(ids)
    if not wanted:
        return {}
    query = sa.select(contacts.c.id, contacts.c.name, contacts.c.owner_id).where(contacts.c.id.in_(wanted))
    return {row.id: (row.name, row.owner_id) for row in connection.execute(query)}


class ContactCopies:
    """The copies of contacts, in the caller's transaction."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def get_many(self, ids: Iterable[str], *, for_update: bool = False) -> dict[str, KnownContact]:
        """Return the copies of these contacts that exist (locked, in id order, `for_update`)."""
        wanted = sorted(set(ids))
        if not wanted:
            return {}
        query = sa.select(contacts).where(contacts.c.id.in_(wanted)).order_by(contacts.c.id)
        if for_update:
            query = query.with_for_update()
        return {row["id"]: _known(row) for row in self.connection.execute(query).mappings()}

    def add_pending(self, contact_id: str, kind: str, now: datetime) -> None:
        """Remember a contact linked before its event arrived; the event fills in the rest."""
        insert_missing(self.connection, contacts, {
            "id": contact_id, "kind": kind, "name": None, "valid": True, "pending": True, "gone": False,
            "sequence": 0, "updated_at": now,
        })

    def apply(self, contact: KnownContact, now: datetime) -> bool:
        """Store a contact's newer state; return False when the copy already has a newer one."""
        # A request linking this contact may be writing its pending row at this moment. Taking
        # the row first (a pending placeholder when there is none) and its lock orders the two:
        # no duplicate key, and the links awaiting the contact are judged after the request's
        # commit (this transaction reads them later) or by the request itself (it re-reads the
        # row under lock after ours commits).
        self.add_pending(contact.id, contact.kind, now)
        current = self.get_many([contact.id], for_update=True)[contact.id]
        if not supersedes(contact, current):
            return False
        values = {
            "kind": contact.kind, "name": contact.name, "owner_id": contact.owner_id or current.owner_id,
            "valid": contact.valid, "pending": False,
            "gone": contact.gone, "sequence": contact.sequence, "updated_at": now,
        }
        self.connection.execute(contacts.update().where(contacts.c.id == contact.id).values(**values))
        return True

    def mark_gone(self, contact_id: str, kind: str, now: datetime) -> None:
        """Remember that a contact no longer exists (merged into another), keeping its last name."""
        updated = self.connection.execute(
            contacts.update().where(contacts.c.id == contact_id).values(gone=True, pending=False, updated_at=now)
        ).rowcount
        if not updated:
            self.connection.execute(contacts.insert().values(
                id=contact_id, kind=kind, name=None, valid=True, pending=False, gone=True, sequence=0,
                updated_at=now))


def _known(row: object) -> KnownContact:
    return KnownContact(**{key: row[key] for key in (  # type: ignore[index]
        "id", "kind", "name", "valid", "pending", "gone", "sequence", "owner_id")})
