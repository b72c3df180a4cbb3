"""Keeping the copies of persons, companies, deals and user names from their events; moving or
removing tasks' links with them; applying a process's post-sale template when a deal closes (TSK-6).

Each event is a use case of its own with the consumer's unit of work: the tasks it relinks or
creates emit their events, correlated with the event that caused them, into the outbox of the
consumer's transaction (the one holding the inbox rows): post-sale tasks and a merge's link moves
as an automation acting for the user who caused them, other changes as the system.
"""
from __future__ import annotations

from dataclasses import replace
from typing import Any, Mapping, Sequence

from crm_shared.copies import KnownRecord
from crm_shared.envelope import SYSTEM, CloudEvent, automation_by
from crm_shared.erasure import ANONYMIZED
from crm_shared.following import follow_record
from crm_shared.links import Link, relinked, renamed
from crm_shared.types import utcnow

from crm_tasks.domain.events import UPDATED, task_changed
from crm_tasks.service_layer.catalog import catalog_of
from crm_tasks.service_layer.templates import apply_in
from crm_tasks.service_layer.unit_of_work import TasksUnitOfWork

CONTACTS = ("person", "company")
DEAL = "deal"
CLOSED = ("won", "lost")
#: the user events that carry a user's name (not e.g. `login_failed`, which names only a username tried)
USER_CHANGES = ("created", "updated")


def handle_events(uow: TasksUnitOfWork, events: Sequence[CloudEvent]) -> None:
    """Apply record and user events with the consumer's unit of work; InvalidEvent for a wrong shape."""
    for event in events:
        kind, _, operation = event.type.removeprefix("crm.").partition(".")
        if kind in (*CONTACTS, DEAL, "user"):
            with uow.caused_by(event):
                if kind == "user":
                    if operation in USER_CHANGES:
                        _user(uow, event)
                else:
                    _record(uow, event, kind, operation)
                uow.commit()


def _user(uow: TasksUnitOfWork, event: CloudEvent) -> None:
    state = _state(event.data)
    user_id, name = state.get("id") or event.data.get("object_id"), state.get("name") or event.data.get("object_name")
    if isinstance(user_id, str) and isinstance(name, str) and name:
        uow.users.remember(user_id, name, max(event.sequence, 1))


def _record(uow: TasksUnitOfWork, event: CloudEvent, kind: str, operation: str) -> None:
    record = follow_record(uow.records, event, kind, relink=lambda record_id, target: _relink(uow, record_id, target),
                           uow=uow)
    if operation == ANONYMIZED:
        _erase(uow, record)
    outcome = _closed_as(event, operation) if kind == DEAL else None
    if outcome:
        with uow.acting_as(automation_by(event)):
            _post_sale(uow, event, record, outcome)


def _state(data: Mapping[str, Any]) -> Mapping[str, Any]:
    state = data.get("state")
    return state if isinstance(state, Mapping) else {}


def _relink(uow: TasksUnitOfWork, record_id: str, target: Link | None) -> None:
    """Replace (or drop) the link to `record_id` on every task, each an audited change of the unit's actor."""
    now = utcnow()
    catalog = catalog_of(uow)
    for task in uow.tasks.linking(record_id):
        links = relinked(task.links, record_id, target)
        changed, changes = task.with_links(links, catalog=catalog, actor_id=uow.actor.id, now=now)
        if changes:
            uow.tasks.save(changed)
            uow.emit(task_changed(changed, UPDATED, changes))


def _erase(uow: TasksUnitOfWork, record: KnownRecord) -> None:
    """Store the tasks linking an erased record with its erased name (a task keeps its links' names),
    and drop the published events naming it; a new name is no change of a task, so no event."""
    for task in uow.tasks.linking(record.id):
        uow.tasks.save(replace(task, links=tuple(renamed(task.links, record.id, record.name))))
    uow.erase_published(record.id)


def _closed_as(event: CloudEvent, operation: str) -> str | None:
    """Return `won` / `lost` when this event closes the deal (its own type, or a status change)."""
    if operation in CLOSED:
        return operation
    for change in event.data.get("changes") or ():
        if isinstance(change, Mapping) and change.get("field") == "status" and change.get("after") in CLOSED:
            return str(change["after"])
    return None


def _post_sale(uow: TasksUnitOfWork, event: CloudEvent, deal: KnownRecord, outcome: str) -> None:
    """Apply the template the deal's process names for this outcome, once per close (deal, sequence)."""
    state = _state(event.data)
    template_id = state.get(f"{outcome}_task_template_id")
    if not isinstance(template_id, str) or not template_id:
        return
    template = uow.templates.get(template_id)
    if template is None or not uow.post_sale.claim(deal.id, event.sequence, template_id, utcnow()):
        return
    apply_in(uow, template, {"type": DEAL, "id": deal.id, "name": deal.name}, None,
             responsible_id=deal.owner_id or SYSTEM.id)
