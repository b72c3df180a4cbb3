"""The events the lives of tasks, templates and spaces produce, as the bus and the audit log see them.

Every task event carries the whole task in `state` (responsible user, times, done, links,
privacy, type and status) so that counters and interactions can work from events alone.
"""
from __future__ import annotations

from typing import Sequence

from crm_shared.changes import Change
from crm_shared.events import ObjectChanged

from crm_tasks.domain.comments import Comment
from crm_tasks.domain.spaces import Space
from crm_tasks.domain.statuses import TaskSettings, TaskStatus
from crm_tasks.domain.task_types import TaskType
from crm_tasks.domain.tasks import Task
from crm_tasks.domain.templates import TaskTemplate

CREATED, UPDATED, DELETED = "created", "updated", "deleted"
COMPLETED, REOPENED, COMMENTED = "completed", "reopened", "commented"
TASK_OPERATIONS = (CREATED, UPDATED, DELETED, COMPLETED, REOPENED, COMMENTED)


def task_changed(task: Task, operation: str, changes: Sequence[Change]) -> ObjectChanged:
    """Describe a committed change of a task (`crm.task.<operation>`)."""
    if operation not in TASK_OPERATIONS:
        raise ValueError(f"not a task operation: {operation}")
    return ObjectChanged(
        object_type="task", object_id=task.id, object_name=task.title, object_link=task.link,
        operation=operation, sequence=task.version, changes=tuple(changes), state=task.state(),
    )


def task_commented(task: Task, comment: Comment) -> ObjectChanged:
    """Describe a comment on a task, naming the responsible user whose incoming activity it is.

    A comment does not change the task, so the event repeats the task's version as its
    sequence: consumers that keep a copy of the task see nothing newer in it.
    """
    return ObjectChanged(
        object_type="task", object_id=task.id, object_name=task.title, object_link=task.link,
        operation=COMMENTED, sequence=task.version, changes=(Change("comment", None, comment.text),),
        state=task.state(), extra={"comment": comment.as_dict(), "responsible_id": task.responsible_id},
    )


def template_changed(template: TaskTemplate, operation: str, changes: Sequence[Change]) -> ObjectChanged:
    """Describe a committed change of a task template (`crm.task_template.<operation>`)."""
    return ObjectChanged(
        object_type="task_template", object_id=template.id, object_name=template.name,
        object_link=template.link, operation=operation, sequence=template.version,
        changes=tuple(changes), state=template.state(),
    )


def space_changed(space: Space, operation: str, changes: Sequence[Change]) -> ObjectChanged:
    """Describe a committed change of a space (`crm.space.<operation>`)."""
    return ObjectChanged(
        object_type="space", object_id=space.id, object_name=space.name, object_link=space.link,
        operation=operation, sequence=space.version, changes=tuple(changes), state=space.state(),
    )


def task_type_changed(task_type: TaskType, operation: str, changes: Sequence[Change]) -> ObjectChanged:
    """Describe a committed change of a task type (`crm.task_type.<operation>`)."""
    return ObjectChanged(
        object_type="task_type", object_id=task_type.id, object_name=task_type.name,
        object_link=task_type.link, operation=operation, sequence=task_type.version,
        changes=tuple(changes), state=task_type.state(),
    )


def status_changed(status: TaskStatus, operation: str, changes: Sequence[Change]) -> ObjectChanged:
    """Describe a committed change of a task status (`crm.task_status.<operation>`)."""
    return ObjectChanged(
        object_type="task_status", object_id=status.id, object_name=status.name, object_link=status.link,
        operation=operation, sequence=status.version, changes=tuple(changes), state=status.as_dict(),
    )


#: the settings are one object; this is its id in their events and the audit log
SETTINGS_ID = "task-settings"


def settings_changed(settings: TaskSettings, changes: Sequence[Change]) -> ObjectChanged:
    """Describe a committed change of the task settings (`crm.task_settings.updated`)."""
    return ObjectChanged(
        object_type="task_settings", object_id=SETTINGS_ID, object_name="Task settings",
        object_link="/api/v1/task-settings", operation=UPDATED, sequence=settings.version,
        changes=tuple(changes), state=settings.as_dict(),
    )
