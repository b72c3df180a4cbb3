"""What a task names by id and shows by name: its types, the statuses (when on) and the users."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Mapping, Sequence

from crm_tasks.domain.rules import broken
from crm_tasks.domain.statuses import TaskStatus, in_order
from crm_tasks.domain.task_types import TaskType

#: a user's display name by id, None when not known
UserNames = Callable[[str], "str | None"]


def no_names(user_id: str) -> str | None:
    return None


@dataclass(frozen=True)
class TaskCatalog:
    """The types by id in list order, the statuses in any order (None while statuses are off) and a user name lookup."""

    types: Mapping[str, TaskType]
    statuses: Sequence[TaskStatus] | None = None
    user_names: UserNames = field(default=no_names)

    def task_type(self, type_id: Any) -> TaskType:
        """Return the type with this id; raise TaskRuleBroken naming `type_id` when there is none."""
        found = self.types.get(type_id) if isinstance(type_id, str) else None
        if found is None:
            raise broken("type_id", "No task type with this id.")
        return found

    def default_type(self) -> TaskType:
        """Return the type a task gets when none is named: the first in the list (Email by default)."""
        if not self.types:
            raise broken("type_id", "There are no task types; an admin must add one first.")
        return next(iter(self.types.values()))

    def status(self, status_id: Any) -> TaskStatus | None:
        """Return the status with this id (None for None); raise TaskRuleBroken while statuses are off."""
        if status_id is None:
            return None
        if self.statuses is None:
            raise broken("status_id", "Task statuses are turned off.")
        found = next((status for status in self.statuses if status.id == status_id), None)
        if found is None:
            raise broken("status_id", "No task status with this id.")
        return found

    def first_status(self) -> TaskStatus | None:
        """Return where new and reopened tasks start (None while statuses are off or none exist)."""
        ordered = in_order(self.statuses or ())
        return ordered[0] if ordered else None

    def last_status(self) -> TaskStatus | None:
        """Return where completed tasks end (None while statuses are off or none exist)."""
        ordered = in_order(self.statuses or ())
        return ordered[-1] if ordered else None

    def user_name(self, user_id: str | None) -> str | None:
        """Return the user's name where known, else the id itself."""
        if user_id is None:
            return None
        return self.user_names(user_id) or user_id
