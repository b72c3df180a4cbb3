"""Automatic logging (INT-3): rules mapping event types to a template, and the contacts an event links."""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any, Mapping

from crm_shared.changes import Change, created, deleted, diff
from crm_shared.links import CONTACT_KINDS, MAX_ID_LENGTH
from crm_shared.rules import broken

#: the event types that only the deals' status change says: `crm.deal.updated` with status won / lost
DEAL_OUTCOMES = {"crm.deal.won": "won", "crm.deal.lost": "lost"}
COMPLETED_TASK = "crm.task.completed"
#: the service's own events never trigger rules: an entry logged for an entry would loop
OWN_PREFIXES = ("crm.interaction.", "crm.interaction_batch.", "crm.interaction_template.",
                "crm.interaction_rule.", "crm.attachment.")
EDITABLE = ("event_type", "template_id", "task_type_id", "enabled")
MAX_EVENT_TYPE = 120


@dataclass(frozen=True)
class Rule:
    """Log an entry of `template_id` for each contact an event of `event_type` links (`task_type_id`: only
    tasks of that type)."""

    id: str
    version: int
    event_type: str
    template_id: str
    task_type_id: str | None
    enabled: bool
    created_at: datetime
    created_by: str
    updated_at: datetime
    updated_by: str

    @property
    def link(self) -> str:
        return f"/api/v1/interaction-rules/{self.id}"

    def values(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in EDITABLE}

    def state(self) -> dict[str, Any]:
        return {"id": self.id, "version": self.version, **self.values(),
                "created_at": self.created_at.isoformat(), "created_by": self.created_by,
                "updated_at": self.updated_at.isoformat(), "updated_by": self.updated_by}

    def creation_changes(self) -> list[Change]:
        return created(self.values(), EDITABLE)

    def deletion_changes(self) -> list[Change]:
        return deleted(self.values(), EDITABLE)

    def updated(self, patch: Mapping[str, Any], *, actor_id: str, now: datetime) -> tuple["Rule", list[Change]]:
        proposed = replace(self, **_checked(patch))
        if proposed.task_type_id is not None and proposed.event_type != COMPLETED_TASK:
            raise broken("task_type_id", f"Only a rule for {COMPLETED_TASK} names a task type.")
        changes = diff(self.values(), proposed.values(), EDITABLE)
        if not changes:
            return self, []
        return replace(proposed, version=self.version + 1, updated_at=now, updated_by=actor_id), changes

    def matches(self, event_type: str, data: Mapping[str, Any]) -> bool:
        """Tell whether an event of this type and data triggers the rule."""
        if not self.enabled:
            return False
        if self.event_type in DEAL_OUTCOMES:
            return deal_outcome(event_type, data) == DEAL_OUTCOMES[self.event_type]
        if event_type != self.event_type:
            return False
        return self.task_type_id is None or _state(data).get("type_id") == self.task_type_id


def new_rule(values: Mapping[str, Any], *, id: str, actor_id: str, now: datetime) -> Rule:
    data = {"task_type_id": None, "enabled": True, **_checked(values)}
    for name in ("event_type", "template_id"):
        if not data.get(name):
            raise broken(name, "Missing data for required field.")
    return Rule(id=id, version=1, created_at=now, created_by=actor_id, updated_at=now, updated_by=actor_id, **data)


def deal_outcome(event_type: str, data: Mapping[str, Any]) -> str | None:
    """Return `won` / `lost` when a deal event closes the deal (its own type, or a status change)."""
    if event_type in DEAL_OUTCOMES:
        return DEAL_OUTCOMES[event_type]
    if event_type != "crm.deal.updated":
        return None
    for change in data.get("changes") or ():
        if isinstance(change, Mapping) and change.get("field") == "status" and change.get("after") in ("won", "lost"):
            return str(change["after"])
    return None


def linked_contacts(event_type: str, data: Mapping[str, Any]) -> list[tuple[str, str, str | None]]:
    """Return (kind, id, name) of each contact an event is about: the contact itself, or the persons and
    companies its object links (`state.links`), each once."""
    kind = event_type.removeprefix("crm.").partition(".")[0]
    state = _state(data)
    if kind in CONTACT_KINDS:
        contact_id = data.get("object_id") or state.get("id")
        name = state.get("name") or data.get("object_name")
        return [(kind, str(contact_id), str(name) if name else None)] if _usable(contact_id) else []
    found: dict[tuple[str, str], str | None] = {}
    for link in state.get("links") or ():
        if isinstance(link, Mapping) and link.get("type") in CONTACT_KINDS and _usable(link.get("id")):
            name = link.get("name")
            found[(str(link["type"]), str(link["id"]))] = str(name) if name else None
    return [(link_kind, link_id, name) for (link_kind, link_id), name in found.items()]


def _checked(values: Mapping[str, Any]) -> dict[str, Any]:
    data = dict(values)
    unknown = sorted(set(data) - set(EDITABLE))
    if unknown:
        raise broken(unknown[0], "Unknown field.")
    if "event_type" in data:
        event_type = str(data["event_type"]).strip()
        parts = event_type.split(".")
        if len(parts) < 3 or parts[0] != "crm" or not all(parts) or len(event_type) > MAX_EVENT_TYPE \
                or any(char in event_type for char in "*# "):
            raise broken("event_type", "An event type such as crm.person.exported (no wildcards).")
        if event_type.startswith(OWN_PREFIXES):
            raise broken("event_type", "The service's own events cannot log interactions.")
        data["event_type"] = event_type
    if data.get("task_type_id") is not None and data.get("event_type", COMPLETED_TASK) != COMPLETED_TASK:
        raise broken("task_type_id", f"Only a rule for {COMPLETED_TASK} names a task type.")
    if "enabled" in data and data["enabled"] is None:
        raise broken("enabled", "Field may not be null.")
    return data


def _state(data: Mapping[str, Any]) -> Mapping[str, Any]:
    state = data.get("state")
    return state if isinstance(state, Mapping) else {}


def _usable(value: Any) -> bool:
    return isinstance(value, str) and 0 < len(value) <= MAX_ID_LENGTH
