"""The counted items, and the reads of one user's counts from them."""
from __future__ import annotations

from datetime import datetime
from typing import Any, Iterable, Mapping

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from crm_counters.adapters.tables import counted_items as items
from crm_counters.domain.copies import RecordRef
from crm_counters.domain.items import INCOMING, PLANNED, Item
from crm_counters.domain.settings import ACTIVITY

#: any number: the advisory lock that orders the consumer's item changes and a rebuild on PostgreSQL
ITEMS_LOCK = 0x636E7472


def _item(row: Mapping[str, Any]) -> Item:
    record = RecordRef(row["record_type"], row["record_id"], row["record_name"]) if row["record_id"] else None
    return Item(key=row["key"], counter=row["counter"], category=row["category"], due=row["due"], record=record,
                record_user_id=row["record_user_id"], activity_user_id=row["activity_user_id"],
                author_id=row["author_id"])


def _row(item: Item) -> dict[str, Any]:
    record = item.record
    return {"key": item.key, "counter": item.counter, "category": item.category, "due": item.due,
            "record_type": record.type if record else None, "record_id": record.id if record else None,
            "record_name": record.name[:420] if record and record.name else None,
            "record_user_id": item.record_user_id, "activity_user_id": item.activity_user_id,
            "author_id": item.author_id}


class CountedItems:
    """Every counted activity, in the caller's transaction."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def lock(self) -> None:
        """Serialise changes of the items (the consumer's and a rebuild's) until the transaction ends.

        SQLite's writers are serialised already (BEGIN IMMEDIATE); on PostgreSQL a rebuild reading
        every copy must not interleave with the consumer rewriting a few items from older reads.
        """
        if self.connection.dialect.name == "postgresql":
            self.connection.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": ITEMS_LOCK})

    def with_keys(self, keys: Iterable[str]) -> dict[str, Item]:
        wanted = sorted(set(keys))
        if not wanted:
            return {}
        rows = self.connection.execute(sa.select(items).where(items.c.key.in_(wanted))).mappings()
        return {row["key"]: _item(row) for row in rows}

    def replace(self, keys: Iterable[str], fresh: Iterable[Item]) -> dict[str, Item]:
        """Put `fresh` in place of the items with these keys; return those it replaced."""
        wanted = set(keys) | {item.key for item in fresh}
        before = self.with_keys(wanted)
        if wanted:
            self.connection.execute(items.delete().where(items.c.key.in_(sorted(wanted))))
        rows = [_row(item) for item in fresh]
        if rows:
            self.connection.execute(items.insert(), rows)
        return before

    def everything(self) -> dict[str, Item]:
        return {row["key"]: _item(row) for row in self.connection.execute(sa.select(items)).mappings()}

    def clear(self) -> None:
        self.connection.execute(items.delete())

    def add(self, fresh: Iterable[Item]) -> None:
        rows = [_row(item) for item in fresh]
        if rows:
            self.connection.execute(items.insert(), rows)

    def of_user(self, user_id: str, mode: str, until: datetime) -> list[Item]:
        """Return the items that may count for a user in a mode by `until`, and the first one due after it."""
        owner = items.c.activity_user_id if mode == ACTIVITY else items.c.record_user_id
        mine = sa.and_(owner == user_id, sa.or_(items.c.author_id.is_(None), items.c.author_id != user_id))
        current = sa.select(items).where(mine, sa.or_(items.c.counter == INCOMING, items.c.due <= until))
        later = (sa.select(items).where(mine, items.c.counter == PLANNED, items.c.due > until)
                 .order_by(items.c.due).limit(1))
        found = [_item(row) for row in self.connection.execute(current).mappings()]
        return found + [_item(row) for row in self.connection.execute(later).mappings()]

    def users(self) -> set[str]:
        """Return every user some item may count for."""
        query = sa.union(sa.select(items.c.record_user_id), sa.select(items.c.activity_user_id))
        return set(self.connection.execute(query).scalars())
