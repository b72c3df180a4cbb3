"""Spaces: named groups of people that tasks (and templates) can be linked to."""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any, Mapping

from crm_shared.changes import Change, created, deleted, diff

from crm_tasks.domain.rules import text
from crm_tasks.domain.task_fields import member_ids


@dataclass(frozen=True)
class Space:
    """A shared place for tasks and its members."""

    id: str
    version: int
    name: str
    member_ids: tuple[str, ...]
    created_at: datetime
    created_by: str
    updated_at: datetime
    updated_by: str

    editable = ("name", "member_ids")

    @property
    def link(self) -> str:
        return f"/api/v1/spaces/{self.id}"

    def values(self) -> dict[str, Any]:
        return {"name": self.name, "member_ids": list(self.member_ids)}

    def state(self) -> dict[str, Any]:
        """Return the whole space as plain data."""
        return {"id": self.id, "version": self.version, **self.values(),
                "created_at": self.created_at.isoformat(), "created_by": self.created_by,
                "updated_at": self.updated_at.isoformat(), "updated_by": self.updated_by}

    def creation_changes(self) -> list[Change]:
        return created(self.values(), self.editable)

    def deletion_changes(self) -> list[Change]:
        return deleted(self.values(), self.editable)

    def updated(self, patch: Mapping[str, Any], *, actor_id: str, now: datetime) -> tuple["Space", list[Change]]:
        """Return the space renamed or with other members, and what really changed."""
        proposed = _apply(self, patch)
        changes = diff(self.values(), proposed.values(), self.editable)
        if not changes:
            return self, []
        return replace(proposed, version=self.version + 1, updated_at=now, updated_by=actor_id), changes


def new_space(values: Mapping[str, Any], *, id: str, actor_id: str, now: datetime) -> Space:
    """Create a valid space; its creator is a member unless the members are given."""
    blank = Space(id=id, version=1, name="", member_ids=(actor_id,), created_at=now, created_by=actor_id,
                  updated_at=now, updated_by=actor_id)
    return _apply(blank, {"name": None, **values})


def _apply(space: Space, patch: Mapping[str, Any]) -> Space:
    data: dict[str, Any] = {}
    if "name" in patch:
        data["name"] = text("name", patch["name"], max_length=200)
    if "member_ids" in patch:
        data["member_ids"] = member_ids(patch["member_ids"])
    return replace(space, **data)
