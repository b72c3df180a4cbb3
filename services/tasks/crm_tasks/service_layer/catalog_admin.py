"""Task types (TSK-1), statuses and the settings (TSK-2): what admins configure."""
from __future__ import annotations

import uuid
from typing import Any, Mapping, Sequence

from crm_shared.catalogue import remove_record, store_update
from crm_shared.changes import Change, created, deleted
from crm_shared.errors import Conflict, NotFound

from crm_tasks.domain.events import CREATED, DELETED, UPDATED, settings_changed, status_changed, task_type_changed
from crm_tasks.domain.statuses import TaskSettings, TaskStatus, in_order, new_status, reordered, without
from crm_tasks.domain.task_types import TaskType, new_type
from crm_tasks.service_layer.unit_of_work import TasksUnitOfWork

#: the fields of a status its created and deleted events list
STATUS_FIELDS = ("name", "position")


def list_types(uow: TasksUnitOfWork) -> list[TaskType]:
    with uow.reading():
        return uow.types.all()


def create_type(uow: TasksUnitOfWork, values: Mapping[str, Any]) -> TaskType:
    with uow:
        task_type = new_type(values, id=str(uuid.uuid4()), known_type_ids={t.id for t in uow.types.all()})
        uow.types.add(task_type)
        uow.emit(task_type_changed(task_type, CREATED, task_type.creation_changes()))
        uow.commit()
    return task_type


def update_type(uow: TasksUnitOfWork, type_id: str, patch: Mapping[str, Any]) -> TaskType:
    with uow:
        task_type = _existing_type(uow, type_id)
        changed = store_update(uow, "types", task_type.updated(patch, known_type_ids={t.id for t in uow.types.all()}),
                               task_type_changed)
        uow.commit()
    return changed


def delete_type(uow: TasksUnitOfWork, type_id: str) -> None:
    """Remove a type no task, template or other type's rule uses (409 naming the use otherwise)."""
    with uow:
        task_type = _existing_type(uow, type_id)
        if uow.tasks.uses_type(type_id):
            raise Conflict("Tasks of this type exist; give them another type first.")
        if uow.templates.using_type(type_id):
            raise Conflict("Task templates use this type.",
                           templates=[t.id for t in uow.templates.using_type(type_id)])
        if uow.types.suggesting(type_id):
            raise Conflict("Other types suggest tasks of this type.",
                           types=[t.id for t in uow.types.suggesting(type_id)])
        remove_record(uow, "types", task_type, task_type_changed)
        uow.commit()


def get_settings(uow: TasksUnitOfWork) -> TaskSettings:
    with uow.reading():
        return uow.settings.get()


def update_settings(uow: TasksUnitOfWork, patch: Mapping[str, Any]) -> TaskSettings:
    with uow:
        settings, changes = uow.settings.get(for_update=True).updated(dict(patch))
        if changes:
            uow.settings.save(settings)
            uow.emit(settings_changed(settings, changes))
        uow.commit()
    return settings


def list_statuses(uow: TasksUnitOfWork) -> list[TaskStatus]:
    with uow.reading():
        return in_order(uow.statuses.all())


def create_status(uow: TasksUnitOfWork, name: Any) -> TaskStatus:
    with uow:
        status = new_status(name, id=str(uuid.uuid4()), current=uow.statuses.all(for_update=True))
        uow.statuses.add(status)
        uow.emit(status_changed(status, CREATED, created(status.as_dict(), STATUS_FIELDS)))
        uow.commit()
    return status


def rename_status(uow: TasksUnitOfWork, status_id: str, name: Any) -> TaskStatus:
    with uow:
        statuses = uow.statuses.all(for_update=True)
        renamed = _existing_status(statuses, status_id).renamed(name)
        _save_statuses(uow, [renamed])
        uow.commit()
    return renamed[0]


def reorder_statuses(uow: TasksUnitOfWork, ids: Sequence[str]) -> list[TaskStatus]:
    with uow:
        placed = reordered(uow.statuses.all(for_update=True), list(ids))
        _save_statuses(uow, placed)
        uow.commit()
    return in_order([status for status, _ in placed])


def delete_status(uow: TasksUnitOfWork, status_id: str) -> None:
    """Remove a status no task is in (409 otherwise); the others close the gap."""
    with uow:
        statuses = uow.statuses.all(for_update=True)
        status = _existing_status(statuses, status_id)
        if uow.tasks.uses_status(status_id):
            raise Conflict("Tasks are in this status; move them to another first.")
        uow.statuses.remove(status_id)
        uow.emit(status_changed(status, DELETED, deleted(status.as_dict(), STATUS_FIELDS)))
        _save_statuses(uow, without(statuses, status_id))
        uow.commit()


def _save_statuses(uow: TasksUnitOfWork, changed: Sequence[tuple[TaskStatus, list[Change]]]) -> None:
    """Store the statuses that changed, each change an event of its status."""
    moved = [(status, changes) for status, changes in changed if changes]
    uow.statuses.save_all([status for status, _ in moved])
    for status, changes in moved:
        uow.emit(status_changed(status, UPDATED, changes))


def _existing_type(uow: TasksUnitOfWork, type_id: str) -> TaskType:
    task_type = uow.types.get(type_id, for_update=True)
    if task_type is None:
        raise NotFound(f"No task type with id {type_id}.")
    return task_type


def _existing_status(statuses: Sequence[TaskStatus], status_id: str) -> TaskStatus:
    found = next((status for status in statuses if status.id == status_id), None)
    if found is None:
        raise NotFound(f"No task status with id {status_id}.")
    return found
