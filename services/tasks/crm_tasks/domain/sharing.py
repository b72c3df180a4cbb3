"""Who may do what with a task (TSK-7): sharing between users, the private flag and the visibility rule.

The order of the rules, first match wins:
1. the task's author, responsible user and members have full access;
2. a private task is invisible to everyone else, managers, admins and shares included;
3. whoever sees the responsible user's records (`crm_shared.visibility`: admins, and the manager
   whose `team` lists them) has full access;
4. otherwise the responsible user's share with the viewer decides: its level for the task's
   type when it sets one, else its general level; no share is `none`.
`none` is answered as missing; `free_busy` shows only the time slot (`free_busy_view`).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Collection, Mapping

from crm_shared.visibility import Viewer, can_see as sees_records_of

from crm_tasks.domain.rules import broken
from crm_tasks.domain.tasks import Task

NONE, FREE_BUSY, READ, FULL = "none", "free_busy", "read", "full"
LEVELS = (NONE, FREE_BUSY, READ, FULL)


@dataclass(frozen=True)
class Share:
    """What `owner_id` shares of the tasks they are responsible for with `grantee_id`."""

    owner_id: str
    grantee_id: str
    level: str = NONE
    per_type: Mapping[str, str] = field(default_factory=dict)

    def level_for(self, type_id: str) -> str:
        """Return the level for tasks of this type: the per-type one when set, else the general one."""
        return self.per_type.get(type_id, self.level)

    def grants_anything(self) -> bool:
        return self.level != NONE or any(level != NONE for level in self.per_type.values())

    def as_dict(self) -> dict[str, Any]:
        return {"user_id": self.grantee_id, "level": self.level, "per_type": dict(self.per_type)}


def new_share(owner_id: str, grantee_id: str, values: Mapping[str, Any], *,
              known_type_ids: Collection[str]) -> Share:
    """Return a valid share; per-type levels may name only existing task types."""
    if owner_id == grantee_id:
        raise broken("user_id", "Your own tasks are yours in full already.")
    per_type = values.get("per_type") or {}
    if not isinstance(per_type, Mapping):
        raise broken("per_type", "An object of task type ids and levels.")
    for type_id, level in per_type.items():
        if type_id not in known_type_ids:
            raise broken(f"per_type.{type_id}", "No task type with this id.")
        _level(f"per_type.{type_id}", level)
    return Share(owner_id=owner_id, grantee_id=grantee_id, level=_level("level", values.get("level")),
                 per_type=dict(per_type))


def access(viewer: Viewer, task: Task, shares: Mapping[str, Share]) -> str:
    """Return what the viewer may do with the task; `shares` are those given to the viewer, by owner id."""
    if viewer.id in (task.author_id, task.responsible_id, *task.member_ids):
        return FULL
    if task.private:
        return NONE
    if sees_records_of(viewer, task.responsible_id):
        return FULL
    share = shares.get(task.responsible_id)
    return share.level_for(task.type_id) if share is not None and share.grantee_id == viewer.id else NONE


def can_see(level: str) -> bool:
    return level != NONE


def can_read(level: str) -> bool:
    return level in (READ, FULL)


def can_change(level: str) -> bool:
    """Tell whether the level allows writing and commenting."""
    return level == FULL


def free_busy_view(task: Task) -> dict[str, Any]:
    """Return all a free/busy viewer learns of a task: that its slot is taken."""
    return {"id": task.id, **task.schedule.as_dict(), "busy": True}


def view(task: Task, level: str) -> dict[str, Any] | None:
    """Return the task as a viewer with this level sees it, None when it is invisible to them."""
    if level == NONE:
        return None
    return free_busy_view(task) if level == FREE_BUSY else {**task.state(), "access": level}


def sharing_owner_ids(shares: Mapping[str, Share]) -> tuple[str, ...]:
    """Return the owners whose tasks some share lets the viewer see (a repository's filter)."""
    return tuple(owner for owner, share in shares.items() if share.grants_anything())


def _level(field_name: str, value: Any) -> str:
    if value not in LEVELS:
        raise broken(field_name, f"One of {', '.join(LEVELS)}.")
    return str(value)
