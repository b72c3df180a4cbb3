"""A service's copy of other services' records in its own database: the SQL side of
`crm_shared.copies` (a table built from `crm_shared.columns.record_copy`)."""
from __future__ import annotations

from dataclasses import fields
from datetime import datetime
from typing import Iterable

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from crm_shared.copies import KnownRecord, supersedes
from crm_shared.upsert import insert_missing

FIELDS = tuple(field.name for field in fields(KnownRecord))


class RecordCopies:
    """The copies of linked records in one table, in the caller's transaction."""

    def __init__(self, connection: Connection, table: sa.Table) -> None:
        self.connection = connection
        self.table = table

    def get_many(self, ids: Iterable[str], *, for_update: bool = False) -> dict[str, KnownRecord]:
        """Return the copies of these records that exist (locked, in id order, `for_update`)."""
        wanted = sorted(set(ids))
        if not wanted:
            return {}
        query = sa.select(self.table).where(self.table.c.id.in_(wanted)).order_by(self.table.c.id)
        if for_update:
            query = query.with_for_update()
        return {row["id"]: KnownRecord(**{key: row[key] for key in FIELDS})
                for row in self.connection.execute(query).mappings()}

    def add_pending(self, record_id: str, kind: str, now: datetime) -> None:
        """Remember a record linked before its event arrived; the event fills in the rest."""
        insert_missing(self.connection, self.table, _row(KnownRecord(record_id, kind, None, pending=True), now))

    def apply(self, record: KnownRecord, now: datetime) -> bool:
        """Store a record's newer state; return False when the copy already has a newer one."""
        # A request linking this record may be writing its pending row at this moment. Taking the
        # row first (a pending placeholder when there is none) and its lock orders the two: no
        # duplicate key, and the links waiting for the record are judged after the request's
        # commit (this transaction reads them later) or by the request itself (it re-reads the
        # row under lock after ours commits).
        self.add_pending(record.id, record.kind, now)
        current = self.get_many([record.id], for_update=True)[record.id]
        if not supersedes(record, current):
            return False
        values = _row(record, now)
        # an event that does not name the owner (a merge's short state) keeps the one known
        values.update(pending=False, owner_id=record.owner_id or current.owner_id)
        del values["id"]
        self.connection.execute(self.table.update().where(self.table.c.id == record.id).values(**values))
        return True

    def mark_gone(self, record_id: str, kind: str, now: datetime) -> None:
        """Remember that a record no longer exists (merged into another), keeping its last name."""
        updated = self.connection.execute(
            self.table.update().where(self.table.c.id == record_id).values(gone=True, pending=False, updated_at=now)
        ).rowcount
        if not updated:
            insert_missing(self.connection, self.table, _row(KnownRecord(record_id, kind, None, gone=True), now))


def _row(record: KnownRecord, now: datetime) -> dict[str, object]:
    return {**{key: getattr(record, key) for key in FIELDS}, "updated_at": now}
