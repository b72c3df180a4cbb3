"""The next task a completed one suggests (TSK-4): its type's rule, due that long after the completion."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Mapping

from crm_tasks.domain.task_types import TaskType
from crm_tasks.domain.tasks import Task

#: what a caller may change of a suggestion before accepting it
OVERRIDABLE = ("title", "type_id", "due", "responsible_id", "member_ids", "priority", "private",
               "reminders", "description", "links")


@dataclass(frozen=True)
class Suggestion:
    """A task proposed after another one was done."""

    type_id: str
    title: str
    due: datetime

    def as_dict(self) -> dict[str, Any]:
        return {"type_id": self.type_id, "title": self.title, "due": self.due.isoformat()}


def suggestion_for(task: Task, task_type: TaskType) -> Suggestion | None:
    """Return what the done task's type suggests next, or None (no rule, or the task is open)."""
    rule = task_type.suggest_next
    if rule is None or not task.done or task.done_at is None:
        return None
    return Suggestion(type_id=rule.type_id, title=rule.title, due=task.done_at + timedelta(minutes=rule.delay_minutes))


def suggested_task_values(suggestion: Suggestion, task: Task, overrides: Mapping[str, Any]) -> dict[str, Any]:
    """Return the fields of the task that accepting a suggestion creates: the done task's links and
    responsible user, the suggested type, title and due time, and whatever the caller overrides."""
    values: dict[str, Any] = {
        "type_id": suggestion.type_id, "title": suggestion.title, "due": suggestion.due,
        "responsible_id": task.responsible_id, "links": list(task.links), "private": task.private,
    }
    return {**values, **{key: overrides[key] for key in OVERRIDABLE if key in overrides}}
