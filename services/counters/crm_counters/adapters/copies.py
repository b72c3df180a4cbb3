"""The copies of tasks, comments, interactions and records' owners, in the caller's transaction."""
from __future__ import annotations

from datetime import datetime
from typing import Any, Iterable, Mapping

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from crm_shared.copies import KnownRecord
from crm_shared.upsert import insert, upsert

from crm_counters.adapters.tables import interaction_copies, records, task_comments, task_copies
from crm_counters.domain.copies import CommentCopy, InteractionCopy, RecordRef, TaskCopy

RECORD_FIELDS = ("id", "kind", "name", "owner_id", "valid", "pending", "gone", "sequence")


def _record_of(kind: Any, record_id: Any, name: Any) -> RecordRef | None:
    return RecordRef(kind, record_id, name) if kind and record_id else None


def _task(row: Mapping[str, Any]) -> TaskCopy:
    return TaskCopy(id=row["id"], sequence=row["sequence"], title=row["title"], responsible_id=row["responsible_id"],
                    due=row["due"], done=row["done"], deleted=row["deleted"],
                    record=_record_of(row["record_type"], row["record_id"], row["record_name"]))


def _task_row(task: TaskCopy) -> dict[str, Any]:
    record = task.record
    return {"id": task.id, "sequence": task.sequence, "title": task.title[:500], "responsible_id": task.responsible_id,
            "due": task.due, "done": task.done, "deleted": task.deleted,
            "record_type": record.type if record else None, "record_id": record.id if record else None,
            "record_name": record.name[:420] if record and record.name else None}


def _entry(row: Mapping[str, Any]) -> InteractionCopy:
    return InteractionCopy(id=row["id"], sequence=row["sequence"], user_id=row["user_id"], source=row["source"],
                           kind=row["kind"], canceled=row["canceled"], processed=row["processed"],
                           deleted=row["deleted"],
                           contact=_record_of(row["contact_type"], row["contact_id"], row["contact_name"]))


def _entry_row(entry: InteractionCopy) -> dict[str, Any]:
    contact = entry.contact
    return {"id": entry.id, "sequence": entry.sequence, "user_id": entry.user_id, "source": entry.source[:20],
            "kind": entry.kind[:20] if entry.kind else None, "canceled": entry.canceled, "processed": entry.processed,
            "deleted": entry.deleted, "contact_type": contact.type[:10] if contact else None,
            "contact_id": contact.id if contact else None,
            "contact_name": contact.name[:420] if contact and contact.name else None}


def _comment(row: Mapping[str, Any]) -> CommentCopy:
    return CommentCopy(id=row["id"], task_id=row["task_id"], author_id=row["author_id"], created_at=row["created_at"])


class Copies:
    """Tasks, their comments and interaction entries as the counters last heard of them."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def task(self, task_id: str) -> TaskCopy | None:
        row = self.connection.execute(sa.select(task_copies).where(task_copies.c.id == task_id)).mappings().first()
        return _task(row) if row else None

    def save_task(self, task: TaskCopy) -> None:
        upsert(self.connection, task_copies, _task_row(task), keys=["id"])

    def activities_of(self, refs: Iterable[RecordRef]) -> tuple[list[TaskCopy], list[InteractionCopy]]:
        """Return the tasks and the interaction entries belonging to any of these records."""
        wanted = {(ref.type, ref.id) for ref in refs}
        ids = sorted({record_id for _, record_id in wanted})
        tasks: list[TaskCopy] = []
        entries: list[InteractionCopy] = []
        for start in range(0, len(ids), 1000):
            chunk = ids[start:start + 1000]
            tasks += [_task(row) for row in self.connection.execute(
                sa.select(task_copies).where(task_copies.c.record_id.in_(chunk))).mappings()]
            entries += [_entry(row) for row in self.connection.execute(
                sa.select(interaction_copies).where(interaction_copies.c.contact_id.in_(chunk))).mappings()]
        return ([task for task in tasks if task.record and (task.record.type, task.record.id) in wanted],
                [entry for entry in entries if entry.contact and (entry.contact.type, entry.contact.id) in wanted])

    def comments_of(self, task_id: str) -> list[CommentCopy]:
        rows = self.connection.execute(sa.select(task_comments).where(task_comments.c.task_id == task_id)).mappings()
        return [_comment(row) for row in rows]

    def add_comment(self, comment: CommentCopy) -> bool:
        """Keep a comment; False when it is kept already."""
        statement = insert(self.connection, task_comments).values(
            id=comment.id, task_id=comment.task_id, author_id=comment.author_id, created_at=comment.created_at)
        added = statement.on_conflict_do_nothing().returning(task_comments.c.id)
        return self.connection.execute(added).first() is not None

    def entry(self, entry_id: str) -> InteractionCopy | None:
        row = self.connection.execute(
            sa.select(interaction_copies).where(interaction_copies.c.id == entry_id)).mappings().first()
        return _entry(row) if row else None

    def save_entry(self, entry: InteractionCopy) -> None:
        upsert(self.connection, interaction_copies, _entry_row(entry), keys=["id"])

    def all_tasks(self) -> list[TaskCopy]:
        return [_task(row) for row in self.connection.execute(sa.select(task_copies)).mappings()]

    def all_comments(self) -> list[CommentCopy]:
        return [_comment(row) for row in self.connection.execute(sa.select(task_comments)).mappings()]

    def all_entries(self) -> list[InteractionCopy]:
        return [_entry(row) for row in self.connection.execute(sa.select(interaction_copies)).mappings()]


class RecordOwners:
    """The owners and names of persons, companies and deals, kept from their events."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection
        self._cache: dict[tuple[str, str], KnownRecord | None] = {}

    def find(self, record: RecordRef) -> KnownRecord | None:
        """Return the copy of a record, None when none of its events arrived (cached per transaction)."""
        key = (record.type, record.id)
        if key not in self._cache:
            row = self.connection.execute(sa.select(records).where(
                records.c.id == record.id, records.c.kind == record.type)).mappings().first()
            self._cache[key] = KnownRecord(**{name: row[name] for name in RECORD_FIELDS}) if row else None
        return self._cache[key]

    def many(self, ids: Iterable[str]) -> dict[str, KnownRecord]:
        """Return the copies of these records that exist, by id."""
        wanted, found = sorted(set(ids)), {}
        for start in range(0, len(wanted), 1000):
            rows = self.connection.execute(sa.select(records).where(records.c.id.in_(wanted[start:start + 1000])))
            found.update({row["id"]: KnownRecord(**{name: row[name] for name in RECORD_FIELDS})
                          for row in rows.mappings()})
        return found

    def store(self, known: Iterable[KnownRecord], now: datetime) -> None:
        """Write these records' states, in one statement."""
        rows = [{**{name: getattr(record, name) for name in RECORD_FIELDS}, "pending": False, "updated_at": now}
                for record in known]
        if not rows:
            return
        statement = insert(self.connection, records)
        # no row lock: the consumer's batch holds the items lock, and nothing else writes the copy
        self.connection.execute(statement.on_conflict_do_update(
            index_elements=["id"], set_={name: statement.excluded[name] for name in rows[0] if name != "id"}), rows)
        self._cache.update({(row["kind"], row["id"]): KnownRecord(**{n: row[n] for n in RECORD_FIELDS})
                            for row in rows})

    def everything(self) -> dict[tuple[str, str], KnownRecord]:
        """Return every record's copy by (kind, id): what a rebuild reads owners from."""
        return {(row["kind"], row["id"]): KnownRecord(**{name: row[name] for name in RECORD_FIELDS})
                for row in self.connection.execute(sa.select(records)).mappings()}


def lookup(known: Mapping[tuple[str, str], KnownRecord]) -> Any:
    """Return a record lookup over records already read (a rebuild's)."""
    return lambda record: known.get((record.type, record.id))



