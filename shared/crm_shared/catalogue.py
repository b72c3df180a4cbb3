"""Use-case steps a service's catalogue of records repeats: create, change or remove one with its event, read a page.

A catalogue is a repository on the unit of work (named, e.g. "groups") holding records that
answer `creation_changes()` (and `deletion_changes()` to be removed); its `list(limit=, after=)`
returns rows in keyset order.

    group = create_record(uow, "groups", new_group, values, contact_changed)
    items, next_cursor = read_page(uow, "groups", limit=limit, cursor=cursor,
                                   types=group_rows.CURSOR_TYPES, key=group_rows.sort_key)
    with uow:
        changed = store_update(uow, "groups", group.updated(patch, actor_id=…, now=…), contact_changed)
        uow.commit()
"""
from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, Callable, Mapping, Protocol, Sequence, TypeVar

from crm_shared.changes import Change
from crm_shared.events import ObjectChanged
from crm_shared.pagination import KeyType, decode_cursor, page
from crm_shared.types import utcnow


class Creatable(Protocol):
    def creation_changes(self) -> list[Change]: ...


class Removable(Protocol):
    def deletion_changes(self) -> list[Change]: ...


R = TypeVar("R", bound=Creatable)
U = TypeVar("U")
T = TypeVar("T")

#: builds a record from the given values: `build(values, id=, actor_id=, now=)`
Build = Callable[..., R]
#: describes a committed change: `changed(record, operation, changes)`
Changed = Callable[[Any, str, list[Change]], ObjectChanged]


def create_record(uow: Any, repository: str, build: Build[R], values: Mapping[str, Any], changed: Changed,
                  *, now: datetime | None = None) -> R:
    """Build a record (a new id, made by the acting user now), add it and emit its `created` event, in one commit."""
    with uow:
        record = build(values, id=str(uuid.uuid4()), actor_id=uow.actor.id, now=now or utcnow())
        getattr(uow, repository).add(record)
        uow.emit(changed(record, "created", record.creation_changes()))
        uow.commit()
    return record


def read_page(uow: Any, repository: str, *, limit: int, cursor: str | None, types: Sequence[KeyType],
              key: Callable[[T], Sequence[Any]]) -> tuple[list[T], str | None]:
    """Return up to `limit` records after the cursor's key and the cursor of the next page (None on the last)."""
    after = decode_cursor(cursor, types)
    with uow.reading():
        rows = getattr(uow, repository).list(limit=limit + 1, after=after)
    return page(rows, limit, key)


def store_update(uow: Any, repository: str, updated: tuple[U, list[Change]], changed: Changed,
                 *, operation: str = "updated") -> U:
    """Save an updated record and emit its event when the update changed anything; return the record to answer.

    `updated` is what a record's update answers: its new version (itself when nothing changed)
    and the changes. The caller's unit of work commits.
    """
    record, changes = updated
    if changes:
        getattr(uow, repository).save(record)
        uow.emit(changed(record, operation, changes))
    return record


def remove_record(uow: Any, repository: str, record: Removable, changed: Changed) -> None:
    """Remove a record and emit its `deleted` event with the values it had; the caller's unit of work commits."""
    getattr(uow, repository).remove(record)
    uow.emit(changed(record, "deleted", record.deletion_changes()))
