"""Creating a catalogue record with its event, and reading a catalogue a page at a time."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Mapping

import pytest

from crm_shared.catalogue import create_record, read_page, remove_record, store_update
from crm_shared.changes import Change
from crm_shared.envelope import Actor
from crm_shared.errors import ValidationFailed
from crm_shared.events import ObjectChanged
from crm_shared.pagination import encode_cursor
from crm_shared.testing.fakes import FakeUnitOfWork, InMemoryRepository

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=timezone.utc)


@dataclass(frozen=True)
class Label:
    id: str
    name: str
    created_by: str
    created_at: datetime

    def creation_changes(self) -> list[Change]:
        return [Change("name", None, self.name)]

    def deletion_changes(self) -> list[Change]:
        return [Change("name", self.name, None)]


def new_label(values: Mapping[str, Any], *, id: str, actor_id: str, now: datetime) -> Label:
    return Label(id=id, name=values["name"], created_by=actor_id, created_at=now)


def label_changed(label: Label, operation: str, changes: list[Change]) -> ObjectChanged:
    return ObjectChanged(object_type="label", object_id=label.id, object_name=label.name,
                         object_link=f"/api/v1/labels/{label.id}", operation=operation, sequence=1,
                         changes=tuple(changes))


class InMemoryLabels(InMemoryRepository[Label]):
    def list(self, *, limit: int, after: list[Any] | None = None) -> list[Label]:  # type: ignore[override]
        ordered = sorted(self.items.values(), key=lambda label: (label.name, label.id))
        return [label for label in ordered if after is None or [label.name, label.id] > after][:limit]


def sort_key(label: Label) -> tuple[str, str]:
    return label.name, label.id


def test_a_created_record_has_a_new_id_and_the_acting_user_and_commits_its_created_event() -> None:
    labels = InMemoryLabels()
    uow = FakeUnitOfWork(labels=labels, actor=Actor("u-1", "Eva"))

    label = create_record(uow, "labels", new_label, {"name": "VIP"}, label_changed, now=NOW)

    assert labels.get(label.id) == label
    assert (label.created_by, label.created_at) == ("u-1", NOW)
    [event] = uow.events
    assert (event.operation, event.object_id, event.changes) == ("created", label.id, (Change("name", None, "VIP"),))
    assert uow.commits == 1


def test_two_created_records_get_different_ids() -> None:
    uow = FakeUnitOfWork(labels=InMemoryLabels())

    first = create_record(uow, "labels", new_label, {"name": "A"}, label_changed)
    second = create_record(uow, "labels", new_label, {"name": "B"}, label_changed)

    assert first.id != second.id


def test_pages_follow_the_cursor_until_the_last_which_has_none() -> None:
    labels = InMemoryLabels([Label(str(n), name, "u-1", NOW) for n, name in enumerate("cab")])
    uow = FakeUnitOfWork(labels=labels)

    first, cursor = read_page(uow, "labels", limit=2, cursor=None, types=(str, str), key=sort_key)
    rest, last = read_page(uow, "labels", limit=2, cursor=cursor, types=(str, str), key=sort_key)

    assert [label.name for label in first] == ["a", "b"]
    assert cursor == encode_cursor(("b", "2"))
    assert ([label.name for label in rest], last) == (["c"], None)


def test_a_cursor_that_does_not_decode_is_refused_on_cursor() -> None:
    with pytest.raises(ValidationFailed) as refused:
        read_page(FakeUnitOfWork(labels=InMemoryLabels()), "labels", limit=2, cursor="not a cursor",
                  types=(str, str), key=sort_key)

    assert "cursor" in refused.value.extra["errors"]


def test_an_update_that_changed_something_is_saved_with_its_event() -> None:
    labels = InMemoryLabels([Label("1", "VIP", "u-1", NOW)])
    uow = FakeUnitOfWork(labels=labels)
    renamed = Label("1", "Gold", "u-1", NOW)

    with uow:
        answered = store_update(uow, "labels", (renamed, [Change("name", "VIP", "Gold")]), label_changed)
        uow.commit()

    assert answered == renamed and labels.get("1") == renamed
    [event] = uow.events
    assert (event.operation, event.changes) == ("updated", (Change("name", "VIP", "Gold"),))


def test_an_update_that_changed_nothing_saves_and_emits_nothing() -> None:
    label = Label("1", "VIP", "u-1", NOW)
    labels = InMemoryLabels([label])
    uow = FakeUnitOfWork(labels=labels)

    with uow:
        assert store_update(uow, "labels", (label, []), label_changed) is label
        uow.commit()

    assert uow.events == []


def test_an_update_may_name_its_operation() -> None:
    label = Label("1", "VIP", "u-1", NOW)
    uow = FakeUnitOfWork(labels=InMemoryLabels([label]))

    with uow:
        store_update(uow, "labels", (label, [Change("name", "VIP", "VIP ")]), label_changed, operation="restored")
        uow.commit()

    assert [event.operation for event in uow.events] == ["restored"]


def test_a_removed_record_is_gone_and_its_deleted_event_lists_what_it_had() -> None:
    label = Label("1", "VIP", "u-1", NOW)
    labels = InMemoryLabels([label])
    uow = FakeUnitOfWork(labels=labels)

    with uow:
        remove_record(uow, "labels", label, label_changed)
        uow.commit()

    assert labels.get("1") is None
    [event] = uow.events
    assert (event.operation, event.changes) == ("deleted", (Change("name", "VIP", None),))
