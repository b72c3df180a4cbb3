"""The tasks service's copies of other services' records: the persons, companies and deals it links,
and the users' names."""
from __future__ import annotations

from datetime import datetime
from typing import Iterable

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from crm_shared.copies import KnownRecord, is_newer, supersedes
from crm_shared.upsert import insert_missing, upsert

from crm_tasks.adapters.tables import records, user_names

FIELDS = ("id", "kind", "name", "owner_id", "valid", "pending", "gone", "sequence")


class RecordCopies:
    """The copies of linked records, in the caller's transaction."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def get_many(self, ids: Iterable[str], *, for_update: bool = False) -> dict[str, KnownRecord]:
        """Return the copies of these records that exist (locked, in id order, `for_update`)."""
        wanted = sorted(set(ids))
        if not wanted:
            return {}
        query = sa.select(records).where(records.c.id.in_(wanted)).order_by(records.c.id)
        if for_update:
            query = query.with_for_update()
        return {row["id"]: KnownRecord(**{key: row[key] for key in FIELDS})
                for row in self.connection.execute(query).mappings()}

    def add_pending(self, record_id: str, kind: str, now: datetime) -> None:
        """Remember a record linked before its event arrived; the event fills in the rest."""
        insert_missing(self.connection, records, {
            "id": record_id, "kind": kind, "name": None, "owner_id": None, "valid": True, "pending": True,
            "gone": False, "sequence": 0, "updated_at": now})

    def apply(self, record: KnownRecord, now: datetime) -> bool:
        """Store a record's newer state; return False when the copy already has a newer one."""
        # A request linking this record may be writing its pending row at this moment. Taking the
        # row first (a pending placeholder when there is none) and its lock orders the two: no
        # duplicate key, and the links waiting for the record are named after the request's
        # commit (this transaction reads them later) or by the request itself (it re-reads the
        # row under lock after ours commits).
        self.add_pending(record.id, record.kind, now)
        current = self.get_many([record.id], for_update=True)[record.id]
        if not supersedes(record, current):
            return False
        values = {key: getattr(record, key) for key in FIELDS if key != "id"}
        # an event that does not name the owner (a merge's short state) keeps the one known
        values.update(pending=False, updated_at=now, owner_id=record.owner_id or current.owner_id)
        self.connection.execute(records.update().where(records.c.id == record.id).values(**values))
        return True

    def mark_gone(self, record_id: str, kind: str, now: datetime) -> None:
        """Remember that a record no longer exists (merged into another), keeping its last name."""
        updated = self.connection.execute(
            records.update().where(records.c.id == record_id).values(gone=True, pending=False, updated_at=now)
        ).rowcount
        if not updated:
            insert_missing(self.connection, records, {
                "id": record_id, "kind": kind, "name": None, "owner_id": None, "valid": True, "pending": False,
                "gone": True, "sequence": 0, "updated_at": now})


class UserNames:
    """Users' display names by id, from the gateway's user events and the callers' tokens."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection
        self._cache: dict[str, str | None] = {}

    def name(self, user_id: str) -> str | None:
        if user_id not in self._cache:
            query = sa.select(user_names.c.name).where(user_names.c.id == user_id)
            self._cache[user_id] = self.connection.execute(query).scalar()
        return self._cache[user_id]

    def remember(self, user_id: str, name: str, sequence: int = 0) -> None:
        """Store a user's name when newer than the one known (sequence 0: a token's name, kept if none is known)."""
        if not name or not user_id:
            return
        current = self.connection.execute(
            sa.select(user_names.c.name, user_names.c.sequence).where(user_names.c.id == user_id)).first()
        if current is None:
            insert_missing(self.connection, user_names, {"id": user_id, "name": name, "sequence": sequence})
        elif sequence and is_newer(sequence, current.sequence) or (not sequence and current.sequence == 0
                                                                   and current.name != name):
            upsert(self.connection, user_names, {"id": user_id, "name": name, "sequence": sequence or current.sequence},
                   keys=("id",))
        self._cache[user_id] = name


