"""Checking the records a task links against the service's copies, with the deals' pending rule.

A person, company or deal created a moment ago may not have reached this service yet, so a
well-formed id the copy does not know is accepted and remembered as pending; its event fills
in the name, or removes the link if the record turns out to be deleted. A record the copy
knows but the caller may not see is answered exactly as a deleted one: 422 on `links.N.id`,
"No <kind> with this id.", so a link never tells whether an invisible record exists. A space
must exist. Links the task already has are kept whatever became of their record.
"""
from __future__ import annotations

from typing import Any, Iterable, Mapping, Sequence

from crm_shared.copies import KnownRecord
from crm_shared.errors import ValidationFailed
from crm_shared.links import Link
from crm_shared.types import utcnow
from crm_shared.visibility import Viewer, can_see

from crm_tasks.service_layer.unit_of_work import TasksUnitOfWork

SPACE = "space"


def resolve(uow: TasksUnitOfWork, wanted: Sequence[Mapping[str, Any] | Link] | None,
            kept: Iterable[Link] = ()) -> list[Link]:
    """Turn `[{"type","id"}]` into named links; 422 naming `links.N.id` for a record not to link."""
    items = [item.as_dict() if isinstance(item, Link) else dict(item) for item in wanted or ()]
    already = {link.key for link in kept}
    known = _known_now(uow, [item for item in items
                             if item.get("type") != SPACE and (item.get("type"), str(item.get("id"))) not in already])
    errors: dict[str, list[str]] = {}
    links = []
    for index, item in enumerate(items):
        kind, record_id = item.get("type"), str(item.get("id"))
        if (kind, record_id) in already:
            links.append(Link(kind, record_id, next(l.name for l in kept if l.key == (kind, record_id))))
            continue
        if kind == SPACE:
            space = uow.spaces.get(record_id)
            if space is None:
                errors.setdefault(f"links.{index}.id", []).append("No space with this id.")
            else:
                links.append(Link(SPACE, record_id, space.name))
            continue
        record = known.get(record_id)
        problem = _problem(uow.viewer, str(kind), record)
        if problem:
            errors.setdefault(f"links.{index}.{problem[0]}", []).append(problem[1])
            continue
        links.append(Link(str(kind), record_id, record.name if record else None))
    if errors:
        raise ValidationFailed(errors)
    return links


def _known_now(uow: TasksUnitOfWork, wanted: Sequence[Mapping[str, Any]]) -> dict[str, KnownRecord]:
    """Return the copies of the wanted records, an unknown one remembered as pending first.

    The record's event may be applied by the consumer while this request runs: reading the
    rows again under lock, once every wanted record has one, sees a state the consumer
    committed meanwhile, or else makes the consumer wait for this request and then name the
    links it left pending.
    """
    known = uow.records.get_many([str(item.get("id")) for item in wanted])
    missing = [item for item in wanted if str(item.get("id")) not in known]
    for item in missing:
        uow.records.add_pending(str(item.get("id")), str(item.get("type")), utcnow())
    if missing:
        known.update(uow.records.get_many([str(item.get("id")) for item in missing], for_update=True))
    return known


def _problem(viewer: Viewer, kind: str, record: KnownRecord | None) -> tuple[str, str] | None:
    if record is None or record.pending:
        return None
    if record.gone or not can_see(viewer, record.owner_id) or record.kind != kind:
        return "id", f"No {kind} with this id."
    if not record.valid:
        return "id", f"The {kind} {record.name} is marked invalid."
    return None
