"""Reading and writing log entries with SQLAlchemy Core, in the caller's transaction.

An entry's contact is read from the copy of contacts at every read (its current name, and
whether it is gone); visibility filters on that copy's owner in SQL.
"""
from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any, Iterable

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from crm_interactions.adapters.tables import contacts, interactions
from crm_interactions.domain.entries import ContactRef, Entry, User
from crm_interactions.domain.query import EntryQuery
from crm_interactions.domain.statistics import Group

#: the types of a cursor key: when it happened, then the id (newest first)
CURSOR_TYPES = (datetime, str)
COLUMNS = ("id", "version", "template_id", "template_code", "method", "initiated_by", "cost", "duration_minutes",
           "occurred_at", "description", "status", "processed", "source", "kind", "attachment_id", "cause_event_id",
           "created_at", "created_by", "updated_at", "updated_by")


def sort_key(entry: Entry) -> list[Any]:
    return [entry.occurred_at.isoformat(), entry.id]


class EntryRepository:
    """Entries, each read with its contact as the copy knows it."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def get(self, entry_id: str, *, owners: tuple[str, ...] | None = None, for_update: bool = False) -> Entry | None:
        """Return an entry whose contact the owners' viewer may see (owners None: any)."""
        query = _select().where(interactions.c.id == entry_id, *_visible(owners))
        row = self.connection.execute(query.with_for_update(of=interactions) if for_update else query).mappings().first()
        return _entry(row) if row else None

    def add(self, entry: Entry) -> None:
        self.connection.execute(interactions.insert(), _row(entry))

    def save(self, entry: Entry, *_previous: Any) -> None:
        self.connection.execute(interactions.update().where(interactions.c.id == entry.id), _row(entry))

    def remove(self, entry: Entry) -> None:
        self.connection.execute(interactions.delete().where(interactions.c.id == entry.id))

    def list(self, query: EntryQuery, owners: tuple[str, ...] | None) -> list[Entry]:
        """Return up to `limit + 1` visible entries after the cursor key, newest first."""
        statement = _select().where(*_filters(query), *_visible(owners))
        if query.after is not None:
            key = sa.tuple_(interactions.c.occurred_at, interactions.c.id)
            bound = sa.tuple_(sa.literal(query.after[0], interactions.c.occurred_at.type), sa.literal(query.after[1]))
            statement = statement.where(key < bound)
        statement = statement.order_by(interactions.c.occurred_at.desc(), interactions.c.id.desc())
        return [_entry(row) for row in self.connection.execute(statement.limit(query.limit + 1)).mappings()]

    def matching(self, query: EntryQuery, owners: tuple[str, ...] | None) -> list[Entry]:
        """Return every visible entry the filters match, locked for update, in id order (a bulk change)."""
        statement = _select().where(*_filters(query), *_visible(owners)).order_by(interactions.c.id)
        return [_entry(row) for row in self.connection.execute(statement.with_for_update(of=interactions)).mappings()]

    def of_contact(self, contact_id: str) -> list[Entry]:
        """Return every entry about a contact, locked for update, in id order."""
        statement = _select().where(interactions.c.contact_id == contact_id).order_by(interactions.c.id)
        return [_entry(row) for row in self.connection.execute(statement.with_for_update(of=interactions)).mappings()]

    def caused(self, event_id: str, contact_id: str) -> bool:
        """Tell whether a rule entry exists for this event and contact."""
        query = sa.select(interactions.c.id).where(interactions.c.cause_event_id == event_id,
                                                   interactions.c.contact_id == contact_id)
        return self.connection.execute(query).first() is not None

    def uses_attachment(self, attachment_id: str, owners: tuple[str, ...] | None) -> bool:
        query = sa.select(interactions.c.id).select_from(_joined()).where(
            interactions.c.attachment_id == attachment_id, *_visible(owners)).limit(1)
        return self.connection.execute(query).first() is not None

    def statistics(self, query: EntryQuery, owners: tuple[str, ...] | None) -> list[Group]:
        """Return count, cost and duration of the visible entries the filters match, per method and initiator."""
        table = interactions
        if self.connection.dialect.name == "sqlite":
            # SQLite sums the 1/10,000 integers in 64 bits and fails past 9.2 × 10^14: add them exactly here
            rows = self.connection.execute(sa.select(table.c.method, table.c.initiated_by, table.c.cost,
                                                     table.c.duration_minutes)
                                           .select_from(_joined()).where(*_filters(query), *_visible(owners)))
            return _grouped(rows)
        statement = (
            sa.select(table.c.method, table.c.initiated_by, sa.func.count().label("count"),
                      sa.func.sum(table.c.cost).label("cost"), sa.func.sum(table.c.duration_minutes).label("duration"))
            .select_from(_joined()).where(*_filters(query), *_visible(owners))
            .group_by(table.c.method, table.c.initiated_by)
        )
        return [Group(row.method, row.initiated_by, int(row.count), row.cost, int(row.duration or 0))
                for row in self.connection.execute(statement)]


def _grouped(rows: Iterable[Any]) -> list[Group]:
    groups: dict[tuple[str, str], Group] = {}
    for method, initiated_by, cost, duration in rows:
        old = groups.get((method, initiated_by)) or Group(method, initiated_by, 0, Decimal("0"), 0)
        groups[(method, initiated_by)] = Group(method, initiated_by, old.count + 1, old.cost + cost,
                                               old.duration_minutes + duration)
    return list(groups.values())


def _joined() -> sa.Join:
    return interactions.join(contacts, contacts.c.id == interactions.c.contact_id, isouter=True)


def _select() -> sa.Select[Any]:
    return sa.select(interactions, contacts.c.name.label("contact_name"),
                     contacts.c.gone.label("contact_gone")).select_from(_joined())


def _visible(owners: tuple[str, ...] | None) -> list[Any]:
    return [] if owners is None else [contacts.c.owner_id.in_(owners)]


def _filters(query: EntryQuery) -> Iterable[Any]:
    table = interactions
    equal = {"contact_id": query.contact_id, "template_id": query.template_id, "user_id": query.user_id,
             "status": query.status, "processed": query.processed, "source": query.source}
    found = [table.c[name] == value for name, value in equal.items() if value is not None]
    if query.occurred_from is not None:
        found.append(table.c.occurred_at >= query.occurred_from)
    if query.occurred_to is not None:
        found.append(table.c.occurred_at < query.occurred_to)
    if query.ids is not None:
        found.append(table.c.id.in_(query.ids))
    return found


def _row(entry: Entry) -> dict[str, Any]:
    row = {name: getattr(entry, name) for name in COLUMNS}
    row.update(contact_kind=entry.contact.type, contact_id=entry.contact.id, user_id=entry.user.id,
               user_name=entry.user.name[:200])
    return row


def _entry(row: Any) -> Entry:
    contact = ContactRef(row["contact_kind"], row["contact_id"], row["contact_name"], bool(row["contact_gone"]))
    return Entry(contact=contact, user=User(row["user_id"], row["user_name"]),
                 **{name: row[name] for name in COLUMNS})

