"""Groups (segments) of contacts: a named set that a contact may belong to several of."""
from __future__ import annotations

from dataclasses import dataclass, fields, replace
from datetime import datetime
from typing import Any, Mapping

from crm_shared.changes import Change, created, deleted, diff

from crm_contacts.domain.model import ContactRuleBroken, normalize


@dataclass(frozen=True)
class Group:
    """A segment of persons and companies; membership is kept on each contact (`groups`).

    Every user may list, read and join groups; its creator owns it.
    """

    editable = ("name", "description")

    id: str
    version: int
    name: str
    created_at: datetime
    created_by: str
    updated_at: datetime
    updated_by: str
    description: str | None = None

    kind = "group"

    @property
    def display_name(self) -> str:
        return self.name

    @property
    def owner_id(self) -> str:
        """Return the group's owner: its creator, who (with their manager and admins) may change it."""
        return self.created_by

    @property
    def link(self) -> str:
        """Return the API path of the group."""
        return f"/api/v1/groups/{self.id}"

    def values(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.editable}

    def state(self) -> dict[str, Any]:
        """Return the group as plain data."""
        data: dict[str, Any] = {f.name: getattr(self, f.name) for f in fields(self)}
        data["created_at"] = self.created_at.isoformat()
        data["updated_at"] = self.updated_at.isoformat()
        data["kind"] = self.kind
        data["owner_id"] = self.owner_id
        return data

    def creation_changes(self) -> list[Change]:
        return created(self.values(), self.editable)

    def deletion_changes(self) -> list[Change]:
        return deleted(self.values(), self.editable)

    def updated(self, patch: Mapping[str, Any], *, actor_id: str, now: datetime) -> tuple["Group", list[Change]]:
        """Return the group with `patch` applied, and the fields that changed."""
        proposed = replace(self, **normalize(patch))
        _check(proposed)
        changes = diff(self.values(), proposed.values(), self.editable)
        if not changes:
            return self, []
        return replace(proposed, version=self.version + 1, updated_at=now, updated_by=actor_id), changes


def new_group(values: Mapping[str, Any], *, id: str, actor_id: str, now: datetime) -> Group:
    """Create a valid new group."""
    data = normalize(values)
    group = Group(id=id, version=1, name=data.get("name") or "", description=data.get("description"),
                  created_at=now, created_by=actor_id, updated_at=now, updated_by=actor_id)
    _check(group)
    return group


def _check(group: Group) -> None:
    if not group.name:
        raise ContactRuleBroken({"name": ["A group needs a name."]})
