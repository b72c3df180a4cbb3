"""A fake unit of work and in-memory repositories, for use-case tests without I/O.

    uow = FakeUnitOfWork(deals=InMemoryDeals(), actor=Actor("u-1", "Eva"), viewer=Seer("u-1"))
    create_deal(uow, {...})
    assert [e.operation for e in uow.events] == ["created"]

The fake keeps the contract of `crm_shared.unit_of_work.UnitOfWork`: events emitted in a
`with` block count only once `commit()` ran (`uow.events`); leaving the block without a
commit drops them (`uow.rolled_back` counts it). In-memory repositories keep what they are
given and do not roll back: a use case that writes must still commit, which the test checks.
"""
from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from types import TracebackType
from typing import Any, Generic, Iterable, Protocol, TypeVar

from crm_shared.acting import Acting
from crm_shared.copies import KnownRecord, supersedes
from crm_shared.envelope import SYSTEM, Actor, CloudEvent
from crm_shared.events import ObjectChanged
from crm_shared.visibility import SYSTEM_VIEWER, Viewer


class Identified(Protocol):
    @property
    def id(self) -> str: ...


T = TypeVar("T", bound=Identified)
U = TypeVar("U", bound="FakeUnitOfWork")


class FakeUnitOfWork(Acting):
    """A unit of work over in-memory repositories (given by name as keywords).

    `events` are the committed events; `emitted` pairs each with the actor it went out as.
    """

    def __init__(self, *, actor: Actor = SYSTEM, viewer: Viewer = SYSTEM_VIEWER,
                 correlation_id: str = "correlation", restores_entry: str = "", **repositories: Any) -> None:
        self.actor = actor
        self.viewer = viewer
        self.correlation_id = correlation_id
        self.restores_entry = restores_entry
        self.events: list[ObjectChanged] = []
        self.emitted: list[tuple[ObjectChanged, Actor]] = []
        #: the subjects whose published outbox events a committed unit dropped (`erase_published`)
        self.erased: list[str] = []
        self._erasing: list[str] = []
        self.commits = 0
        self.rolled_back = 0
        self.read_only = False
        self._pending: list[tuple[ObjectChanged, Actor]] = []
        for name, repository in repositories.items():
            setattr(self, name, repository)

    def reading(self: U) -> U:
        self.read_only = True
        return self

    def caused_by(self: U, event: CloudEvent) -> U:
        self.correlation_id = event.correlationid or event.id
        return self

    def __enter__(self: U) -> U:
        self._pending, self._erasing = [], []
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        if self._pending:
            self.rolled_back += 1
        self._pending, self._erasing = [], []
        self.read_only = False

    def emit(self, event: ObjectChanged) -> None:
        self._pending.append((event, self.actor))

    def erase_published(self, subject_id: str) -> None:
        self._erasing.append(subject_id)

    def commit(self) -> None:
        self.events.extend(event for event, _ in self._pending)
        self.emitted.extend(self._pending)
        self.erased.extend(self._erasing)
        self._pending, self._erasing = [], []
        self.commits += 1

    def __call__(self: U, **_: Any) -> U:
        """Serve as its own factory (`uows()` in use cases that open several transactions)."""
        return self


class InMemoryRepository(Generic[T]):
    """Records by id; services' fakes subclass it with their repository's other queries."""

    def __init__(self, items: Iterable[T] = ()) -> None:
        self.items: dict[str, T] = {item.id: item for item in items}

    def get(self, item_id: str, *, for_update: bool = False) -> T | None:
        return self.items.get(item_id)

    def add(self, item: T) -> None:
        assert item.id not in self.items, f"{item.id} is stored already"
        self.items[item.id] = item

    def save(self, item: T, *_previous: Any) -> None:
        assert item.id in self.items, f"{item.id} is not stored"
        self.items[item.id] = item

    def remove(self, item: T) -> None:
        del self.items[item.id]

    def list(self) -> list[T]:
        return list(self.items.values())


class InMemoryCopies:
    """`crm_shared.copy_store.RecordCopies` in memory: the copies of other services' records."""

    def __init__(self, *known: KnownRecord) -> None:
        self.items = {record.id: record for record in known}

    def get_many(self, ids: Iterable[str], *, for_update: bool = False) -> dict[str, KnownRecord]:
        return {i: self.items[i] for i in ids if i in self.items}

    def add_pending(self, record_id: str, kind: str, now: datetime) -> None:
        self.items.setdefault(record_id, KnownRecord(record_id, kind, None, pending=True))

    def apply(self, record: KnownRecord, now: datetime) -> bool:
        current = self.items.get(record.id)
        if not supersedes(record, current):
            return False
        owner_id = record.owner_id or (current.owner_id if current else None)
        self.items[record.id] = replace(record, pending=False, owner_id=owner_id)
        return True

    def mark_gone(self, record_id: str, kind: str, now: datetime) -> None:
        current = self.items.get(record_id) or KnownRecord(record_id, kind, None)
        self.items[record_id] = replace(current, gone=True, pending=False)


class InMemoryStreamTickets:
    """`crm_shared.ticket_store.StreamTickets` in memory: each ticket's caller and expiry, by the secret's hash."""

    def __init__(self) -> None:
        self.tickets: dict[str, tuple[dict[str, Any], datetime]] = {}

    def add(self, secret_hash: str, principal: dict[str, Any], expires_at: datetime) -> None:
        self.tickets[secret_hash] = (principal, expires_at)

    def take(self, secret_hash: str, now: datetime) -> dict[str, Any] | None:
        found = self.tickets.pop(secret_hash, None)
        return found[0] if found and found[1] > now else None

    def purge(self, now: datetime) -> None:
        self.tickets = {key: value for key, value in self.tickets.items() if value[1] > now}
