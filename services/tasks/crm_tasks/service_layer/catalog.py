"""What every task use case needs first: the catalog of types, statuses and names, and the caller's access."""
from __future__ import annotations

from crm_shared.errors import Forbidden, NotFound

from crm_tasks.domain.catalog import TaskCatalog
from crm_tasks.domain.sharing import NONE, Share, access, can_change, can_read
from crm_tasks.domain.tasks import Task
from crm_tasks.service_layer.unit_of_work import TasksUnitOfWork


def catalog_of(uow: TasksUnitOfWork) -> TaskCatalog:
    """Return the types, the statuses (None while they are off) and the users' names as stored now."""
    statuses = uow.statuses.all() if uow.settings.get().statuses_enabled else None
    return TaskCatalog(types={t.id: t for t in uow.types.all()}, statuses=statuses, user_names=uow.users.name)


def remember_actor(uow: TasksUnitOfWork) -> None:
    """Keep the acting user's name (from the token) so that the audit shows names, not ids."""
    if uow.actor.id != "system":
        uow.users.remember(uow.actor.id, uow.actor.name)


def shares_of_viewer(uow: TasksUnitOfWork) -> dict[str, Share]:
    return uow.shares.given_to(uow.viewer.id)


def level_of(uow: TasksUnitOfWork, task: Task) -> str:
    return access(uow.viewer, task, shares_of_viewer(uow))


def seen_task(uow: TasksUnitOfWork, task_id: str, *, for_update: bool = False) -> tuple[Task, str]:
    """Return a task and the caller's level; a task the caller may not see is missing (404)."""
    task = uow.tasks.get(task_id, for_update=for_update)
    level = level_of(uow, task) if task is not None else NONE
    if task is None or level == NONE:
        raise NotFound(f"No task with id {task_id}.")
    return task, level


def readable_task(uow: TasksUnitOfWork, task_id: str) -> Task:
    """Return a task the caller may read in full (free/busy is not enough: 403)."""
    task, level = seen_task(uow, task_id)
    if not can_read(level):
        raise Forbidden("You see only when this task takes place.")
    return task


def changeable_task(uow: TasksUnitOfWork, task_id: str) -> Task:
    """Return a task, locked, that the caller may change and comment on (full access), else 403 / 404."""
    task, level = seen_task(uow, task_id, for_update=True)
    if not can_change(level):
        raise Forbidden("This task is shared with you without the right to change it.")
    return task
