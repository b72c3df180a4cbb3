"""Task templates (TSK-5) and spaces: their lives, and applying a template to a record."""
from __future__ import annotations

import uuid
from datetime import date
from typing import Any, Mapping, TypeVar
from zoneinfo import ZoneInfo

from crm_shared.catalogue import remove_record, store_update
from crm_shared.errors import NotFound, ValidationFailed
from crm_shared.types import utcnow

from crm_tasks.domain.events import CREATED, UPDATED, space_changed, template_changed
from crm_tasks.domain.spaces import Space, new_space
from crm_tasks.domain.tasks import Task
from crm_tasks.domain.templates import DEFAULT_ZONE, TaskTemplate, new_template
from crm_tasks.service_layer.catalog import catalog_of, remember_actor
from crm_tasks.service_layer.tasks import add_task, as_seen
from crm_tasks.service_layer.unit_of_work import TasksUnitOfWork

T = TypeVar("T")


def list_templates(uow: TasksUnitOfWork) -> list[TaskTemplate]:
    with uow.reading():
        return uow.templates.all()


def get_template(uow: TasksUnitOfWork, template_id: str) -> TaskTemplate:
    with uow.reading():
        return _existing_template(uow, template_id)


def create_template(uow: TasksUnitOfWork, values: Mapping[str, Any]) -> TaskTemplate:
    with uow:
        template = new_template(values, id=str(uuid.uuid4()), known_type_ids=_type_ids(uow), actor_id=uow.actor.id,
                                now=utcnow())
        remember_actor(uow)
        uow.templates.add(template)
        uow.emit(template_changed(template, CREATED, template.creation_changes()))
        uow.commit()
    return template


def update_template(uow: TasksUnitOfWork, template_id: str, patch: Mapping[str, Any]) -> TaskTemplate:
    with uow:
        template = _existing_template(uow, template_id, for_update=True)
        changed, changes = template.updated(patch, known_type_ids=_type_ids(uow), actor_id=uow.actor.id, now=utcnow())
        if changes:
            remember_actor(uow)
            uow.templates.save(changed)
            uow.emit(template_changed(changed, UPDATED, changes))
        uow.commit()
    return changed


def delete_template(uow: TasksUnitOfWork, template_id: str) -> None:
    with uow:
        template = _existing_template(uow, template_id, for_update=True)
        remove_record(uow, "templates", template, template_changed)
        uow.commit()


def apply_template(uow: TasksUnitOfWork, template_id: str, target: Mapping[str, Any], base_date: date | None = None,
                   *, responsible_id: str | None = None) -> list[Task]:
    """Create the template's tasks linked to `target`, each due on the base date (today) + its delay;
    a target the caller may not link is a 422 on `target.<field>`, like a task's link."""
    with uow:
        template = _existing_template(uow, template_id)
        try:
            tasks = apply_in(uow, template, target, base_date, responsible_id=responsible_id)
        except ValidationFailed as refused:
            errors = refused.extra.get("errors") or {}
            raise ValidationFailed({key.replace("links.0.", "target.", 1): value for key, value in errors.items()})
        uow.commit()
    return [as_seen(uow, task) for task in tasks]


def apply_in(uow: TasksUnitOfWork, template: TaskTemplate, target: Mapping[str, Any], base_date: date | None,
             *, responsible_id: str | None = None) -> list[Task]:
    """Apply a template inside an open unit of work; items without a responsible go to `responsible_id`
    (default: whoever applies it)."""
    today = utcnow().astimezone(ZoneInfo(DEFAULT_ZONE)).date()
    catalog = catalog_of(uow)
    planned = template.planned_tasks(target, base_date=base_date or today, actor_id=responsible_id or uow.actor.id)
    return [add_task(uow, catalog, values) for values in planned]


def list_spaces(uow: TasksUnitOfWork) -> list[Space]:
    with uow.reading():
        return uow.spaces.all()


def get_space(uow: TasksUnitOfWork, space_id: str) -> Space:
    with uow.reading():
        return _existing_space(uow, space_id)


def create_space(uow: TasksUnitOfWork, values: Mapping[str, Any]) -> Space:
    with uow:
        space = new_space(values, id=str(uuid.uuid4()), actor_id=uow.actor.id, now=utcnow())
        remember_actor(uow)
        uow.spaces.add(space)
        uow.emit(space_changed(space, CREATED, space.creation_changes()))
        uow.commit()
    return space


def update_space(uow: TasksUnitOfWork, space_id: str, patch: Mapping[str, Any]) -> Space:
    with uow:
        space = _existing_space(uow, space_id, for_update=True)
        changed = store_update(uow, "spaces", space.updated(patch, actor_id=uow.actor.id, now=utcnow()), space_changed)
        uow.commit()
    return changed


def delete_space(uow: TasksUnitOfWork, space_id: str) -> None:
    with uow:
        space = _existing_space(uow, space_id, for_update=True)
        remove_record(uow, "spaces", space, space_changed)
        uow.commit()


def _type_ids(uow: TasksUnitOfWork) -> set[str]:
    return {t.id for t in uow.types.all()}


def _existing_template(uow: TasksUnitOfWork, template_id: str, *, for_update: bool = False) -> TaskTemplate:
    return _found(uow.templates.get(template_id, for_update=for_update), "task template", template_id)


def _existing_space(uow: TasksUnitOfWork, space_id: str, *, for_update: bool = False) -> Space:
    return _found(uow.spaces.get(space_id, for_update=for_update), "space", space_id)


def _found(record: T | None, kind: str, record_id: str) -> T:
    if record is None:
        raise NotFound(f"No {kind} with id {record_id}.")
    return record
