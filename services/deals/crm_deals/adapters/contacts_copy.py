"""The deals service's own copy of the contacts it links: id, kind, name, validity."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Iterable

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection

from crm_deals.adapters.tables import contacts


@dataclass(frozen=True)
class KnownContact:
    """What the deals service knows of a contact."""

    id: str
    kind: str
    name: str | None
    valid: bool = True
    pending: bool = False
    gone: bool = False
    sequence: int = 0


def names_of(connection: Connection, ids: Iterable[str]) -> dict[str, str | None]:
    """Return the known names of contacts by id (None while pending)."""
    wanted = list(ids)
    if not wanted:
        return {}
    query = sa.select(contacts.c.id, contacts.c.name).where(contacts.c.id.in_(wanted))
    return {row.id: row.name for row in connection.execute(query)}


def get_many(connection: Connection, ids: Iterable[str]) -> dict[str, KnownContact]:
    """Return the copies of these contacts that exist."""
    wanted = list(ids)
    if not wanted:
        return {}
    query = sa.select(contacts).where(contacts.c.id.in_(wanted))
    return {row["id"]: _known(row) for row in connection.execute(query).mappings()}


def add_pending(connection: Connection, contact_id: str, kind: str, now: datetime) -> None:
    """Remember a contact linked before its event arrived; the event fills in the rest."""
    statement = _insert(connection).values(
        id=contact_id, kind=kind, name=None, valid=True, pending=True, gone=False, sequence=0, updated_at=now
    )
    connection.execute(statement.on_conflict_do_nothing())


def apply(connection: Connection, contact: KnownContact, now: datetime) -> bool:
    """Store a contact's newer state; return False when the copy already has a newer one."""
    current = get_many(connection, [contact.id]).get(contact.id)
    if current is not None and current.gone:
        return False
    # a deletion keeps the version of the contact's last change, so it wins a tie
    if current is not None and not current.pending and not contact.gone and current.sequence >= contact.sequence > 0:
        return False
    values = {
        "kind": contact.kind, "name": contact.name, "valid": contact.valid, "pending": False,
        "gone": contact.gone, "sequence": contact.sequence, "updated_at": now,
    }
    if current is None:
        connection.execute(contacts.insert().values(id=contact.id, **values))
    else:
        connection.execute(contacts.update().where(contacts.c.id == contact.id).values(**values))
    return True


def mark_gone(connection: Connection, contact_id: str, kind: str, now: datetime) -> None:
    """Remember that a contact no longer exists (merged into another), keeping its last name."""
    updated = connection.execute(
        contacts.update().where(contacts.c.id == contact_id).values(gone=True, pending=False, updated_at=now)
    ).rowcount
    if not updated:
        connection.execute(contacts.insert().values(
            id=contact_id, kind=kind, name=None, valid=True, pending=False, gone=True, sequence=0, updated_at=now))


def _insert(connection: Connection):  # type: ignore[no-untyped-def]
    dialect = postgresql if connection.dialect.name == "postgresql" else sqlite
    return dialect.insert(contacts)


def _known(row: object) -> KnownContact:
    return KnownContact(**{key: row[key] for key in (  # type: ignore[index]
        "id", "kind", "name", "valid", "pending", "gone", "sequence")})
