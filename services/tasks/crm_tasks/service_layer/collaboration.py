"""Comments on tasks (TSK-8) and sharing between users (TSK-7)."""
from __future__ import annotations

import uuid
from typing import Any, Mapping

from crm_shared.types import utcnow


from crm_tasks.domain.comments import Comment, new_comment
from crm_tasks.domain.events import task_commented
from crm_tasks.domain.sharing import Share, new_share
from crm_tasks.service_layer.catalog import changeable_task, readable_task, remember_actor
from crm_tasks.service_layer.unit_of_work import TasksUnitOfWork


def add_comment(uow: TasksUnitOfWork, task_id: str, text: Any) -> Comment:
    """Comment on a task the caller has full access to; the event names the responsible user."""
    with uow:
        task = changeable_task(uow, task_id)
        comment = new_comment(text, id=str(uuid.uuid4()), task_id=task.id, author_id=uow.actor.id,
                              author_name=uow.actor.name, now=utcnow())
        remember_actor(uow)
        uow.comments.add(comment)
        uow.emit(task_commented(task, comment))
        uow.commit()
    return comment


def list_comments(uow: TasksUnitOfWork, task_id: str) -> list[Comment]:
    """Return the comments of a task the caller may read, oldest first."""
    with uow.reading():
        task = readable_task(uow, task_id)
        return uow.comments.of_task(task.id)


def shares_given(uow: TasksUnitOfWork) -> list[Share]:
    """Return what the caller shares of their tasks, with whom."""
    with uow.reading():
        return uow.shares.given_by(uow.viewer.id)


def put_share(uow: TasksUnitOfWork, grantee_id: str, values: Mapping[str, Any]) -> Share:
    """Set what the caller shares with one user: a general level and levels per task type."""
    with uow:
        share = new_share(uow.viewer.id, grantee_id, values, known_type_ids={t.id for t in uow.types.all()})
        uow.shares.put(share)
        uow.commit()
    return share
