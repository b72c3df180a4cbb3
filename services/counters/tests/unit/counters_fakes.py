"""In-memory repositories of the counters service, for use cases on the kit's fake unit of work."""
from __future__ import annotations

from datetime import datetime
from typing import Any, Iterable

from crm_shared.copies import KnownRecord
from crm_shared.testing.fakes import FakeUnitOfWork, InMemoryStreamTickets
from crm_shared.visibility import SYSTEM_VIEWER, Viewer

from crm_counters.domain.copies import CommentCopy, InteractionCopy, RecordRef, TaskCopy
from crm_counters.domain.items import INCOMING, PLANNED, Item
from crm_counters.domain.settings import ACTIVITY, GLOBAL, CounterSettings


class InMemoryCopies:
    def __init__(self) -> None:
        self.tasks: dict[str, TaskCopy] = {}
        self.comments: dict[str, CommentCopy] = {}
        self.entries: dict[str, InteractionCopy] = {}

    def task(self, task_id: str) -> TaskCopy | None:
        return self.tasks.get(task_id)

    def save_task(self, task: TaskCopy) -> None:
        self.tasks[task.id] = task

    def activities_of(self, refs: Iterable[RecordRef]) -> tuple[list[TaskCopy], list[InteractionCopy]]:
        keys = {(ref.type, ref.id) for ref in refs}
        return ([t for t in self.tasks.values() if t.record and (t.record.type, t.record.id) in keys],
                [e for e in self.entries.values() if e.contact and (e.contact.type, e.contact.id) in keys])

    def comments_of(self, task_id: str) -> list[CommentCopy]:
        return [c for c in self.comments.values() if c.task_id == task_id]

    def add_comment(self, comment: CommentCopy) -> bool:
        return self.comments.setdefault(comment.id, comment) is comment

    def entry(self, entry_id: str) -> InteractionCopy | None:
        return self.entries.get(entry_id)

    def save_entry(self, entry: InteractionCopy) -> None:
        self.entries[entry.id] = entry

    def all_tasks(self) -> list[TaskCopy]:
        return list(self.tasks.values())

    def all_comments(self) -> list[CommentCopy]:
        return list(self.comments.values())

    def all_entries(self) -> list[InteractionCopy]:
        return list(self.entries.values())


class InMemoryRecords:
    def __init__(self) -> None:
        self.known: dict[tuple[str, str], KnownRecord] = {}

    def find(self, record: RecordRef) -> KnownRecord | None:
        return self.known.get((record.type, record.id))

    def many(self, ids: Iterable[str]) -> dict[str, KnownRecord]:
        wanted = set(ids)
        return {record.id: record for record in self.known.values() if record.id in wanted}

    def store(self, known: Iterable[KnownRecord], now: datetime) -> None:
        for record in known:
            self.known = {key: value for key, value in self.known.items() if key[1] != record.id}
            self.known[(record.kind, record.id)] = record

    def everything(self) -> dict[tuple[str, str], KnownRecord]:
        return dict(self.known)


class InMemoryItems:
    def __init__(self) -> None:
        self.items: dict[str, Item] = {}
        self.locks = 0

    def lock(self) -> None:
        self.locks += 1

    def replace(self, keys: Iterable[str], fresh: Iterable[Item]) -> dict[str, Item]:
        fresh = list(fresh)
        wanted = set(keys) | {item.key for item in fresh}
        before = {key: self.items.pop(key) for key in wanted if key in self.items}
        self.items.update({item.key: item for item in fresh})
        return before

    def everything(self) -> dict[str, Item]:
        return dict(self.items)

    def clear(self) -> None:
        self.items.clear()

    def add(self, fresh: Iterable[Item]) -> None:
        self.items.update({item.key: item for item in fresh})

    def of_user(self, user_id: str, mode: str, until: datetime) -> list[Item]:
        mine = [i for i in self.items.values()
                if (i.activity_user_id if mode == ACTIVITY else i.record_user_id) == user_id and i.author_id != user_id]
        current = [i for i in mine if i.counter == INCOMING or (i.due is not None and i.due <= until)]
        later = sorted((i for i in mine if i.counter == PLANNED and i.due is not None and i.due > until),
                       key=lambda i: i.due)  # type: ignore[arg-type, return-value]
        return current + later[:1]


class InMemorySettings:
    def __init__(self) -> None:
        self.scopes: dict[str, CounterSettings] = {}

    def get(self, scope: str) -> CounterSettings | None:
        return self.scopes.get(scope)

    def global_settings(self) -> CounterSettings:
        return self.scopes.get(GLOBAL) or CounterSettings(GLOBAL)

    def save(self, settings: CounterSettings) -> None:
        self.scopes[settings.scope] = settings


class InMemoryMarks:
    def __init__(self) -> None:
        self.versions: dict[str, int] = {}

    def mark(self, user_ids: Iterable[str], now: datetime) -> None:
        for user in set(user_ids):
            self.versions[user] = self.versions.get(user, 0) + 1

    def of(self, user_ids: Iterable[str]) -> dict[str, int]:
        return {user: version for user, version in self.versions.items() if user in set(user_ids)}


def counters_uow(viewer: Viewer = SYSTEM_VIEWER, **kwargs: Any) -> FakeUnitOfWork:
    """Return a fake unit of work over empty in-memory counters repositories."""
    return FakeUnitOfWork(viewer=viewer, copies=InMemoryCopies(), records=InMemoryRecords(), items=InMemoryItems(),
                          settings=InMemorySettings(), marks=InMemoryMarks(), tickets=InMemoryStreamTickets(), **kwargs)
