"""Creating, reading, changing, completing, reopening, deleting and listing tasks, as the sharing rule allows."""
from __future__ import annotations

import uuid
from dataclasses import replace
from typing import Any, Mapping, Sequence

from crm_shared.errors import Conflict, NotFound
from crm_shared.links import Link
from crm_shared.pagination import decode_cursor, page
from crm_shared.preconditions import require_match
from crm_shared.types import utcnow

from crm_tasks.adapters.task_repository import CURSOR_TYPES, sort_key
from crm_tasks.domain.catalog import TaskCatalog
from crm_tasks.domain.events import COMPLETED, CREATED, DELETED, REOPENED, UPDATED, task_changed
from crm_tasks.domain.sharing import FULL, access, view
from crm_tasks.domain.suggestions import Suggestion, suggested_task_values, suggestion_for
from crm_tasks.domain.task_query import TaskQuery
from crm_tasks.domain.tasks import Task, new_task
from crm_tasks.service_layer import links as record_links
from crm_tasks.service_layer.catalog import (
    catalog_of, changeable_task, remember_actor, seen_task, shares_of_viewer,
)
from crm_tasks.service_layer.unit_of_work import TasksUnitOfWork


def create_task(uow: TasksUnitOfWork, values: Mapping[str, Any]) -> Task:
    """Create an open task (the caller responsible unless named); its event commits with it."""
    with uow:
        task = add_task(uow, catalog_of(uow), values)
        uow.commit()
    return as_seen(uow, task)


def add_task(uow: TasksUnitOfWork, catalog: TaskCatalog, values: Mapping[str, Any],
             kept: Sequence[Link] = ()) -> Task:
    """Create a task inside the caller's open unit of work (templates and suggestions make several);
    links in `kept` are taken over whatever became of their records."""
    remember_actor(uow)
    links = record_links.resolve(uow, values.get("links"), kept)
    task = new_task({**values, "links": links}, id=str(uuid.uuid4()), catalog=catalog, actor_id=uow.actor.id,
                    now=utcnow())
    uow.tasks.add(task)
    uow.emit(task_changed(task, CREATED, task.creation_changes(catalog)))
    return task


def get_task(uow: TasksUnitOfWork, task_id: str) -> tuple[Task, str]:
    """Return a task and the caller's access level; invisible tasks are missing."""
    with uow.reading():
        task, level = seen_task(uow, task_id)
    return as_seen(uow, task), level


def update_task(uow: TasksUnitOfWork, task_id: str, patch: Mapping[str, Any], *,
                if_match: str | None = None) -> Task:
    """Apply a partial update (links replace the whole list); an unchanged task writes nothing."""
    with uow:
        task = changeable_task(uow, task_id)
        require_match(if_match, task.version)
        catalog = catalog_of(uow)
        values = dict(patch)
        if "links" in values:
            values["links"] = record_links.resolve(uow, values["links"], task.links)
        changed, changes = task.updated(values, catalog=catalog, actor_id=uow.actor.id, now=utcnow())
        _save(uow, changed, UPDATED, changes)
    return as_seen(uow, changed)


def complete_task(uow: TasksUnitOfWork, task_id: str) -> tuple[Task, Suggestion | None]:
    """Mark a task done; answer what its type suggests next (due that long after now)."""
    with uow:
        task = changeable_task(uow, task_id)
        catalog = catalog_of(uow)
        done, changes = task.completed(catalog=catalog, actor_id=uow.actor.id, now=utcnow())
        _save(uow, done, COMPLETED, changes)
    task_type = catalog.types.get(done.type_id)
    return as_seen(uow, done), suggestion_for(done, task_type) if task_type else None


def reopen_task(uow: TasksUnitOfWork, task_id: str) -> Task:
    """Open a done task again."""
    with uow:
        task = changeable_task(uow, task_id)
        opened, changes = task.reopened(catalog=catalog_of(uow), actor_id=uow.actor.id, now=utcnow())
        _save(uow, opened, REOPENED, changes)
    return as_seen(uow, opened)


def accept_suggestion(uow: TasksUnitOfWork, task_id: str, overrides: Mapping[str, Any]) -> Task:
    """Create the task a done task's type suggests: due at completion + the rule's delay, the same links."""
    with uow:
        task = changeable_task(uow, task_id)
        catalog = catalog_of(uow)
        task_type = catalog.types.get(task.type_id)
        suggestion = suggestion_for(task, task_type) if task_type else None
        if suggestion is None:
            raise Conflict("This task suggests nothing: it is open, or its type has no rule.")
        created = add_task(uow, catalog, suggested_task_values(suggestion, task, overrides), kept=task.links)
        uow.commit()
    return as_seen(uow, created)


def delete_task(uow: TasksUnitOfWork, task_id: str, *, if_match: str | None = None) -> None:
    """Delete a task and its comments for good."""
    with uow:
        task = changeable_task(uow, task_id)
        require_match(if_match, task.version)
        uow.comments.remove_of_task(task.id)
        uow.tasks.remove(task)
        remember_actor(uow)
        uow.emit(task_changed(task, DELETED, task.deletion_changes(catalog_of(uow))))
        uow.commit()


def list_tasks(uow: TasksUnitOfWork, query: TaskQuery, cursor: str | None) -> tuple[list[dict[str, Any]], str | None]:
    """Return one page of the tasks the caller may see, each as they see it, and the next cursor."""
    with uow.reading():
        shares = shares_of_viewer(uow)
        page_query = replace(query, after=decode_cursor(cursor, CURSOR_TYPES), viewer=uow.viewer, shares=shares)
        rows = uow.tasks.list(page_query)
    items, next_cursor = page(rows, query.limit, sort_key)
    views = [view(as_seen(uow, task), access(uow.viewer, task, shares)) for task in items]
    return [item for item in views if item is not None], next_cursor


def _save(uow: TasksUnitOfWork, task: Task, operation: str, changes: list[Any]) -> None:
    if changes:
        remember_actor(uow)
        uow.tasks.save(task)
        uow.emit(task_changed(task, operation, changes))
    uow.commit()


def as_seen(uow: TasksUnitOfWork, task: Task) -> Task:
    """Return the task as the caller sees it: the names only of linked records they may see."""
    return task.seen_by(record_links.sees_link(uow.viewer))


def task_view(task: Task, level: str = FULL) -> dict[str, Any]:
    """Return the task as a caller with this level sees it."""
    shown = view(task, level)
    if shown is None:
        raise NotFound(f"No task with id {task.id}.")
    return shown
