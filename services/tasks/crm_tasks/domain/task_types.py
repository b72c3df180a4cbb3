"""Task types (TSK-1): the defaults, and the "suggest next" rule a type may carry (TSK-4)."""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, Callable, Collection, Mapping

from crm_shared.changes import Change, created, deleted, diff

from crm_tasks.domain.rules import broken, text, whole_number

DEFAULT_TYPE_NAMES = ("Email", "Offer", "Project", "Meeting", "Online meeting", "Call")
MAX_NAME_LENGTH = 100
#: the longest delay a suggestion may carry: one year
MAX_DELAY_MINUTES = 366 * 24 * 60


@dataclass(frozen=True)
class SuggestNext:
    """What to propose once a task of the type is done: a task of `type_id`, due `delay_minutes` later."""

    type_id: str
    title: str
    delay_minutes: int

    def as_dict(self) -> dict[str, Any]:
        return {"type_id": self.type_id, "title": self.title, "delay_minutes": self.delay_minutes}


@dataclass(frozen=True)
class TaskType:
    """A category of tasks (Email, Call, …)."""

    id: str
    version: int
    name: str
    suggest_next: SuggestNext | None = None

    editable = ("name", "suggest_next")

    @property
    def link(self) -> str:
        return f"/api/v1/task-types/{self.id}"

    def values(self) -> dict[str, Any]:
        """Return the editable fields as plain data."""
        return {"name": self.name, "suggest_next": self.suggest_next.as_dict() if self.suggest_next else None}

    def state(self) -> dict[str, Any]:
        """Return the whole type as plain data (the API's answer)."""
        return {"id": self.id, "version": self.version, **self.values()}

    def creation_changes(self) -> list[Change]:
        return created(self.values(), self.editable)

    def deletion_changes(self) -> list[Change]:
        return deleted(self.values(), self.editable)

    def updated(self, patch: Mapping[str, Any], *, known_type_ids: Collection[str]) -> tuple["TaskType", list[Change]]:
        """Return the type renamed or with another rule, and what really changed."""
        proposed = _apply(self, patch, known_type_ids={*known_type_ids, self.id})
        changes = diff(self.values(), proposed.values(), self.editable)
        if not changes:
            return self, []
        return replace(proposed, version=self.version + 1), changes


def new_type(values: Mapping[str, Any], *, id: str, known_type_ids: Collection[str]) -> TaskType:
    """Create a valid type; its rule may suggest a task of its own type or of any known one."""
    return _apply(TaskType(id=id, version=1, name=""), {"name": None, **values},
                  known_type_ids={*known_type_ids, id})


def default_types(new_id: Callable[[], str]) -> list[TaskType]:
    """Return the types a fresh installation starts with, without rules."""
    return [TaskType(id=new_id(), version=1, name=name) for name in DEFAULT_TYPE_NAMES]


def _apply(task_type: TaskType, patch: Mapping[str, Any], *, known_type_ids: Collection[str]) -> TaskType:
    data: dict[str, Any] = {}
    if "name" in patch:
        data["name"] = text("name", patch["name"], max_length=MAX_NAME_LENGTH)
    if "suggest_next" in patch:
        data["suggest_next"] = _rule(patch["suggest_next"], known_type_ids)
    return replace(task_type, **data)


def _rule(raw: Mapping[str, Any] | None, known_type_ids: Collection[str]) -> SuggestNext | None:
    if raw is None:
        return None
    type_id = raw.get("type_id")
    if type_id not in known_type_ids:
        raise broken("suggest_next.type_id", "No task type with this id.")
    title = text("suggest_next.title", raw.get("title"), max_length=500)
    delay = whole_number("suggest_next.delay_minutes", raw.get("delay_minutes"), low=0, high=MAX_DELAY_MINUTES)
    return SuggestNext(type_id=str(type_id), title=str(title), delay_minutes=delay)
