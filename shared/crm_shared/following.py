"""Following other services' records from their events: the copy, and the links a deletion or
a merge moves or drops.

A service that links persons, companies or deals keeps a copy of them (`crm_shared.copies`,
`crm_shared.copy_store`) from their events and must, on each event: store the newer state,
drop the links to a record deleted for good, and move the links to a merged record onto its
survivor. `follow_record` does that in this order with the service's own `relink` (which
changes its records and emits their events through the consumer's unit of work) and, for a
service whose links await records (`crm_shared.linking.AWAIT`), its `settle`. Given that unit of
work, a merge's link moves go out as an automation acting for the user who merged (channel
`automation`); dropped links stay the system's.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Mapping

from crm_shared.acting import Acting
from crm_shared.copies import KnownRecord
from crm_shared.envelope import CloudEvent, InvalidEvent, automation_by
from crm_shared.linking import LinkedCopies
from crm_shared.links import Link
from crm_shared.merges import merged_from, merged_into
from crm_shared.types import utcnow

#: the service's change of every record linking `record_id`: onto the link given, or dropped (None)
Relink = Callable[[str, "Link | None"], None]


@dataclass(frozen=True)
class EventObject:
    """The object an event is about, read tolerantly: its id, name and state."""

    id: str
    name: str | None
    state: Mapping[str, Any]


def object_of(event: CloudEvent) -> EventObject:
    """Return the object of an event: the id from `object_id`, `state.id` or the subject, the name
    from the state or `object_name` (InvalidEvent when it names no id)."""
    data = event.data
    state = data.get("state") if isinstance(data.get("state"), Mapping) else {}
    object_id = data.get("object_id") or state.get("id") or event.subject
    if not isinstance(object_id, str) or not object_id:
        raise InvalidEvent("the event names no object id")
    name = state.get("name") or data.get("object_name")
    return EventObject(object_id, str(name) if name else None, state)


def known_from(event: CloudEvent, kind: str) -> KnownRecord:
    """Return what a person, company or deal event tells of its record (InvalidEvent: no id)."""
    found = object_of(event)
    owner_id = found.state.get("owner_id")
    return KnownRecord(id=found.id, kind=kind, name=found.name, owner_id=str(owner_id) if owner_id else None,
                       valid=found.state.get("valid") is not False, gone=event.type.endswith(".deleted"),
                       sequence=event.sequence)


def follow_record(copies: Any, event: CloudEvent, kind: str, *, relink: Relink,
                  settle: Callable[[str], None] = lambda record_id: None, uow: Acting | None = None) -> KnownRecord:
    """Apply one record event to the copy and move or drop the links it concerns; return the record."""
    relink = _moves_by_automation(relink, event, uow)
    record = known_from(event, kind)
    operation = event.type.rpartition(".")[2]
    fresh = copies.apply(record, utcnow())
    settle(record.id)
    if operation == "deleted" and fresh:
        relink(record.id, survivor_link(copies, event.data, kind))
    if operation == "merged":
        for source_id in merged_from(event.data):
            relink(source_id, Link(kind, record.id, record.name, owner_id=record.owner_id))
            copies.mark_gone(source_id, kind, utcnow())
        settle(record.id)
    return record


def _moves_by_automation(relink: Relink, cause: CloudEvent, uow: Acting | None) -> Relink:
    """Run the link moves of a merge as an automation acting for whoever caused it."""
    if uow is None:
        return relink

    def run(record_id: str, target: Link | None) -> None:
        if target is None:
            relink(record_id, None)
            return
        with uow.acting_as(automation_by(cause)):
            relink(record_id, target)

    return run


def survivor_link(copies: LinkedCopies, data: Mapping[str, Any], kind: str) -> Link | None:
    """Return the link to the record a deleted one was merged into (`merged_into`), if any;
    a survivor the copy does not know yet is remembered as pending (its event names it)."""
    target_id = merged_into(data)
    if target_id is None:
        return None
    known = copies.get_many([target_id]).get(target_id)
    if known is None:
        copies.add_pending(target_id, kind, utcnow())
        return Link(kind, target_id, None)
    return Link(kind, target_id, known.name, owner_id=known.owner_id)
