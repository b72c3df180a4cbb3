"""The post-sale task templates of processes: checked against the copy, and kept from template events."""
from __future__ import annotations

from typing import Any, Mapping

from crm_shared.envelope import SYSTEM, CloudEvent
from crm_shared.errors import ValidationFailed
from crm_shared.following import object_of
from crm_shared.types import utcnow

from crm_deals.domain.events import process_changed
from crm_deals.domain.task_templates import TEMPLATE_FIELDS, KnownTemplate, template_problem, well_formed
from crm_deals.service_layer.unit_of_work import DealsUnitOfWork

#: The object type of the tasks service's template events (`crm.task_template.*`).
OBJECT_TYPE = "task_template"


def with_template_names(uow: DealsUnitOfWork, values: Mapping[str, Any]) -> dict[str, Any]:
    """Return `values` with the names of the task templates they name; raise 422 on a bad or deleted one.

    A template created a moment ago may not have reached this service yet: its event is still
    on its way. Refusing it would show the user an error for a correct request, so a
    well-formed id the copy does not know is accepted and remembered as pending (no name);
    its event fills in the name, or drops the id from the process if the template was deleted.

    The copies' rows stay locked until commit, and they are locked before the process row, in
    the order the consumer locks them when a deletion drops a template from its processes.
    """
    wanted = {name: values[name] for name in TEMPLATE_FIELDS if values.get(name) is not None}
    ids = sorted({template_id for template_id in wanted.values() if well_formed(template_id)})
    known = uow.task_templates.get_many(ids, for_update=True)
    missing = [template_id for template_id in ids if template_id not in known]
    for template_id in missing:
        uow.task_templates.add_pending(template_id, utcnow())
    if missing:  # read them back locked: a template event may have come in meanwhile
        known.update(uow.task_templates.get_many(missing, for_update=True))
    errors: dict[str, list[str]] = {}
    named = dict(values)
    for name, template_id in wanted.items():
        template = known.get(template_id) if well_formed(template_id) else None
        problem = template_problem(template_id, template)
        if problem:
            errors[name] = [problem]
        else:
            named[name.removesuffix("_id") + "_name"] = template.name if template else None
    if errors:
        raise ValidationFailed(errors)
    return named


def handle_template_event(uow: DealsUnitOfWork, event: CloudEvent, operation: str) -> None:
    """Apply one task template event to the copy; a deletion drops the template from the processes naming it."""
    template = _template(event, gone=operation == "deleted")
    fresh = uow.task_templates.apply(template, utcnow())
    if template.gone and fresh:
        _drop_from_processes(uow, template.id)


def _template(event: CloudEvent, *, gone: bool) -> KnownTemplate:
    """Read the template tolerantly (`crm_shared.following.object_of`)."""
    template = object_of(event)
    return KnownTemplate(id=template.id, name=template.name, gone=gone, sequence=event.sequence)


def _drop_from_processes(uow: DealsUnitOfWork, template_id: str) -> None:
    """Clear the deleted template from every process naming it, each an audited system change."""
    now = utcnow()
    for process in uow.processes.naming_template(template_id):
        patch = {name: None for name in TEMPLATE_FIELDS if getattr(process, name) == template_id}
        changed, changes, _ = process.updated(patch, actor_id=SYSTEM.id, now=now)
        if changes:
            uow.processes.save(changed)
            uow.emit(process_changed(changed, "updated", changes))
