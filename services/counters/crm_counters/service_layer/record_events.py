"""The consumer's use case: task, interaction and record events keep the copies and the counted items.

Every event goes through its copy's sequence rule first (`replaces` for tasks and entries, the
kit's `supersedes` for records), so a repeated or older event changes nothing; the items of what
it touched are then recomputed from the copies. The whole batch holds the items lock, so a
rebuild never interleaves with it.

The consumer emits no events, so the batch's events are applied straight in its transaction,
without a savepoint each: a failing event fails the batch, which the kit's consumer then redoes
one event at a time (a poison event alone goes to the dead letters).
"""
from __future__ import annotations

from dataclasses import replace
from typing import Any, Mapping, Sequence

from crm_shared.copies import KnownRecord, supersedes
from crm_shared.envelope import CloudEvent
from crm_shared.erasure import ANONYMIZED
from crm_shared.types import utcnow

from crm_counters.domain.copies import (OWNED_LINKS, RecordRef, comment_from, identifier, interaction_from_state,
                                        replaces, task_from_state)
from crm_counters.service_layer.refresh import refresh_entry, refresh_records, refresh_task
from crm_counters.service_layer.unit_of_work import CountersUnitOfWork

DELETED, COMMENTED = "deleted", "commented"
#: the longest record name the copy keeps
MAX_NAME_LENGTH = 420


def handle_events(uow: CountersUnitOfWork, events: Sequence[CloudEvent]) -> None:
    """Apply a batch of events with the consumer's unit of work; InvalidEvent for a wrong shape.

    The batch's record events go first and together (one read and one write of their copies), then
    its task and interaction events one by one: each item ends up computed from the copies as the
    whole batch leaves them, whatever the order of its events.
    """
    uow.items.lock()
    parsed = [(event, *event.type.removeprefix("crm.").partition(".")[::2]) for event in events]
    _records(uow, [(event, kind, operation) for event, kind, operation in parsed if kind in OWNED_LINKS])
    for event, kind, operation in parsed:
        apply = HANDLERS.get(kind)
        if apply is not None:
            apply(uow, event, operation)


def _task(uow: CountersUnitOfWork, event: CloudEvent, operation: str) -> None:
    task = task_from_state(_state(event.data), event.sequence, deleted=operation == DELETED)
    commented = operation == COMMENTED and uow.copies.add_comment(comment_from(event.data, task.id))
    stored = uow.copies.task(task.id)
    if replaces(task, stored):
        uow.copies.save_task(task)
        refresh_task(uow, task, utcnow())
    elif commented and stored is not None:
        refresh_task(uow, stored, utcnow())


def _interaction(uow: CountersUnitOfWork, event: CloudEvent, operation: str) -> None:
    entry = interaction_from_state(_state(event.data), event.sequence, deleted=operation == DELETED)
    if replaces(entry, uow.copies.entry(entry.id)):
        uow.copies.save_entry(entry)
        refresh_entry(uow, entry, utcnow())


def _records(uow: CountersUnitOfWork, events: list[tuple[CloudEvent, str, str]]) -> None:
    """Apply record events by the kit's supersede rule; recompute the activities of those whose owner,
    name or existence changed."""
    if not events:
        return
    incoming = [_known(event, kind, operation) for event, kind, operation in events]
    before = uow.records.many(record.id for record in incoming)
    after = dict(before)
    for record in incoming:
        current = after.get(record.id)
        if current is None or (current.kind == record.kind and supersedes(record, current)):
            after[record.id] = record
    written = [record for record_id, record in after.items() if record is not before.get(record_id)]
    uow.records.store(written, utcnow())
    _rename_erased(uow, [after[record.id] for record, (_, _, operation) in zip(incoming, events)
                         if operation == ANONYMIZED])
    changed = [RecordRef(record.kind, record.id) for record in written
               if _counted(before.get(record.id)) != _counted(record)]
    refresh_records(uow, changed, utcnow())


def _rename_erased(uow: CountersUnitOfWork, records: list[KnownRecord]) -> None:
    """Give the copies of the tasks and entries of anonymized records the records' erased names
    (their own events may never come again to replace the names they were copied with)."""
    if not records:
        return
    names = {(record.kind, record.id): record.name for record in records}
    tasks, entries = uow.copies.activities_of(RecordRef(kind, record_id) for kind, record_id in names)
    for task in tasks:
        assert task.record is not None
        uow.copies.save_task(replace(task, record=replace(task.record, name=names[(task.record.type, task.record.id)])))
    for entry in entries:
        assert entry.contact is not None
        uow.copies.save_entry(replace(entry, contact=replace(entry.contact,
                                                             name=names[(entry.contact.type, entry.contact.id)])))


def _known(event: CloudEvent, kind: str, operation: str) -> KnownRecord:
    data, state = event.data, _state(event.data)
    record_id = identifier(data.get("object_id") or state.get("id") or event.subject, "the record")
    name, owner = state.get("name") or data.get("object_name"), state.get("owner_id")
    return KnownRecord(id=record_id, kind=kind, name=str(name)[:MAX_NAME_LENGTH] if name else None,
                       owner_id=identifier(owner, "the owner") if owner else None, gone=operation == DELETED,
                       sequence=event.sequence)


def _counted(record: KnownRecord | None) -> tuple[Any, ...] | None:
    """Return what counting reads of a record: its owner, name and existence."""
    return None if record is None else (record.owner_id, record.name, record.gone)


def _state(data: Mapping[str, Any]) -> Mapping[str, Any]:
    state = data.get("state")
    return state if isinstance(state, Mapping) else {}


HANDLERS = {"task": _task, "interaction": _interaction}
