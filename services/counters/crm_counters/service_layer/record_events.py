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

from typing import Any, Mapping, Sequence

from crm_shared.copies import KnownRecord
from crm_shared.envelope import CloudEvent
from crm_shared.types import utcnow

from crm_counters.domain.copies import (OWNED_LINKS, RecordRef, comment_from, identifier, interaction_from_state,
                                        replaces, task_from_state)
from crm_counters.service_layer.refresh import refresh_entry, refresh_record, refresh_task
from crm_counters.service_layer.unit_of_work import CountersUnitOfWork

DELETED, COMMENTED = "deleted", "commented"


def handle_events(uow: CountersUnitOfWork, events: Sequence[CloudEvent]) -> None:
    """Apply a batch of events with the consumer's unit of work; InvalidEvent for a wrong shape."""
    uow.items.lock()
    for event in events:
        kind, _, operation = event.type.removeprefix("crm.").partition(".")
        apply = HANDLERS.get(kind)
        if apply is not None:
            apply(uow, event, kind, operation)


def _task(uow: CountersUnitOfWork, event: CloudEvent, _kind: str, operation: str) -> None:
    task = task_from_state(_state(event.data), event.sequence, deleted=operation == DELETED)
    commented = operation == COMMENTED and uow.copies.add_comment(comment_from(event.data, task.id))
    stored = uow.copies.task(task.id)
    if replaces(task, stored):
        uow.copies.save_task(task)
        refresh_task(uow, task, utcnow())
    elif commented and stored is not None:
        refresh_task(uow, stored, utcnow())


def _interaction(uow: CountersUnitOfWork, event: CloudEvent, _kind: str, operation: str) -> None:
    entry = interaction_from_state(_state(event.data), event.sequence, deleted=operation == DELETED)
    if replaces(entry, uow.copies.entry(entry.id)):
        uow.copies.save_entry(entry)
        refresh_entry(uow, entry, utcnow())


def _record(uow: CountersUnitOfWork, event: CloudEvent, kind: str, operation: str) -> None:
    data, state = event.data, _state(event.data)
    record_id = identifier(data.get("object_id") or state.get("id") or event.subject, "the record")
    name, owner = state.get("name") or data.get("object_name"), state.get("owner_id")
    known = KnownRecord(id=record_id, kind=kind, name=str(name) if name else None,
                        owner_id=identifier(owner, "the owner") if owner else None, gone=operation == DELETED,
                        sequence=event.sequence)
    if uow.records.apply(known, utcnow()):  # only a new owner, name or deletion changes what counts
        refresh_record(uow, RecordRef(kind, record_id), utcnow())


def _state(data: Mapping[str, Any]) -> Mapping[str, Any]:
    state = data.get("state")
    return state if isinstance(state, Mapping) else {}


HANDLERS = {"task": _task, "interaction": _interaction, **{kind: _record for kind in OWNED_LINKS}}
