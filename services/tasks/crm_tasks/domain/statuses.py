"""Task statuses (TSK-2): a setting turns them on; defaults exist; they keep an order.

With statuses off a task is just open or done, and its status is neither shown nor changed.
With them on, a new task starts in the first status; completing a task moves it to the last
status and reopening it to the first, when the caller passes them (the service layer does).
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, Callable, Sequence

from crm_shared.changes import Change

from crm_tasks.domain.rules import broken, text

DEFAULT_STATUS_NAMES = ("To do", "In progress", "Done")
MAX_NAME_LENGTH = 100


@dataclass(frozen=True)
class TaskSettings:
    """The installation's task settings."""

    statuses_enabled: bool = False
    version: int = 1

    def as_dict(self) -> dict[str, Any]:
        return {"statuses_enabled": self.statuses_enabled}

    def updated(self, patch: dict[str, Any]) -> tuple["TaskSettings", list[Change]]:
        """Return the settings with `statuses_enabled` switched as asked, and what changed."""
        enabled = patch.get("statuses_enabled", self.statuses_enabled)
        if not isinstance(enabled, bool):
            raise broken("statuses_enabled", "Not a valid boolean.")
        if enabled == self.statuses_enabled:
            return self, []
        return (replace(self, statuses_enabled=enabled, version=self.version + 1),
                [Change("statuses_enabled", self.statuses_enabled, enabled)])


@dataclass(frozen=True)
class TaskStatus:
    """One step of the task workflow; `position` orders the statuses from 0."""

    id: str
    name: str
    position: int
    version: int = 1

    @property
    def link(self) -> str:
        return f"/api/v1/task-statuses/{self.id}"

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "position": self.position, "version": self.version}

    def renamed(self, name: Any) -> tuple["TaskStatus", list[Change]]:
        """Return the status under a new name, and the change (none when the name is the same)."""
        new_name = _name(name)
        if new_name == self.name:
            return self, []
        return replace(self, name=new_name, version=self.version + 1), [Change("name", self.name, new_name)]

    def moved_to(self, position: int) -> tuple["TaskStatus", list[Change]]:
        """Return the status at another place in the order, and the change (none when it stays)."""
        if position == self.position:
            return self, []
        return replace(self, position=position, version=self.version + 1), [Change("position", self.position, position)]


def default_statuses(new_id: Callable[[], str]) -> list[TaskStatus]:
    """Return the statuses a fresh installation starts with, in order."""
    return [TaskStatus(id=new_id(), name=name, position=index) for index, name in enumerate(DEFAULT_STATUS_NAMES)]


def new_status(name: Any, *, id: str, current: Sequence[TaskStatus]) -> TaskStatus:
    """Create a status placed after the current ones."""
    return TaskStatus(id=id, name=_name(name), position=1 + max((s.position for s in current), default=-1))


def in_order(statuses: Sequence[TaskStatus]) -> list[TaskStatus]:
    return sorted(statuses, key=lambda status: (status.position, status.name))


def reordered(statuses: Sequence[TaskStatus], ids: Sequence[str]) -> list[tuple[TaskStatus, list[Change]]]:
    """Return the statuses in the order of `ids` (which must name exactly the current statuses once
    each), each with its change of position (none for one that stays)."""
    by_id = {status.id: status for status in statuses}
    if len(ids) != len(set(ids)) or set(ids) != set(by_id):
        raise broken("ids", "Give every current status id exactly once.")
    return [by_id[status_id].moved_to(index) for index, status_id in enumerate(ids)]


def without(statuses: Sequence[TaskStatus], status_id: str) -> list[tuple[TaskStatus, list[Change]]]:
    """Return the statuses left after removing one, renumbered without gaps, each with its change."""
    kept = [status for status in in_order(statuses) if status.id != status_id]
    return [status.moved_to(index) for index, status in enumerate(kept)]


def _name(value: Any) -> str:
    return str(text("name", value, max_length=MAX_NAME_LENGTH))
