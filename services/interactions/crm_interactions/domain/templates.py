"""Interaction templates (INT-1): the settings each logged entry copies at logging time."""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal
from typing import Any, Mapping

from crm_shared.changes import Change, created, deleted, diff
from crm_shared.decimals import PLACES, as_text
from crm_shared.rules import broken

METHODS = ("phone", "email", "meeting", "letter", "chat", "other")
INITIATORS = ("us", "them")
MAX_CODE = 20
EDITABLE = ("code", "description", "method", "initiated_by", "unit_cost", "unit_duration_minutes", "attachment_id")


@dataclass(frozen=True)
class Template:
    """A named pattern of an interaction: how it is communicated, who starts it, what it costs and takes."""

    id: str
    version: int
    code: str
    description: str | None
    method: str
    initiated_by: str
    unit_cost: Decimal
    unit_duration_minutes: int
    attachment_id: str | None
    created_at: datetime
    created_by: str
    updated_at: datetime
    updated_by: str

    @property
    def link(self) -> str:
        return f"/api/v1/interaction-templates/{self.id}"

    def values(self) -> dict[str, Any]:
        """Return the editable fields as the audit log and the API show them (the cost as a string)."""
        data = {name: getattr(self, name) for name in EDITABLE}
        data["unit_cost"] = money_text(self.unit_cost)
        return data

    def state(self) -> dict[str, Any]:
        """Return the whole template (the API's answer and its events' state)."""
        return {
            "id": self.id, "version": self.version, **self.values(),
            "created_at": self.created_at.isoformat(), "created_by": self.created_by,
            "updated_at": self.updated_at.isoformat(), "updated_by": self.updated_by,
        }

    def creation_changes(self) -> list[Change]:
        return created(self.values(), EDITABLE)

    def deletion_changes(self) -> list[Change]:
        return deleted(self.values(), EDITABLE)

    def updated(self, patch: Mapping[str, Any], *, actor_id: str, now: datetime) -> tuple["Template", list[Change]]:
        """Return the template with `patch` applied and the fields that changed (none: itself, [])."""
        proposed = replace(self, **_checked(patch))
        changes = diff(self.values(), proposed.values(), EDITABLE)
        if not changes:
            return self, []
        return replace(proposed, version=self.version + 1, updated_at=now, updated_by=actor_id), changes


def money_text(amount: Decimal) -> str:
    """Write an amount with two decimals, or four when it has more (exact either way)."""
    cents = amount.quantize(Decimal("0.01"))
    return str(as_text(cents if cents == amount else amount.quantize(PLACES)))


def new_template(values: Mapping[str, Any], *, id: str, actor_id: str, now: datetime) -> Template:
    """Create a template; the method and initiator are required, cost and duration default to zero."""
    data = {"description": None, "unit_cost": Decimal("0"), "unit_duration_minutes": 0, "attachment_id": None,
            **_checked(values)}
    for name in ("code", "method", "initiated_by"):
        if not data.get(name):
            raise broken(name, "Missing data for required field.")
    return Template(id=id, version=1, created_at=now, created_by=actor_id, updated_at=now, updated_by=actor_id,
                    **data)


def _checked(values: Mapping[str, Any]) -> dict[str, Any]:
    data = dict(values)
    unknown = sorted(set(data) - set(EDITABLE))
    if unknown:
        raise broken(unknown[0], "Unknown field.")
    if "code" in data:
        data["code"] = str(data["code"]).strip().upper()
        if not data["code"]:
            raise broken("code", "A template needs a code.")
        if len(data["code"]) > MAX_CODE:  # upper case may be longer than the text given ("ß" → "SS")
            raise broken("code", f"At most {MAX_CODE} characters in upper case.")
    if "method" in data and data["method"] not in METHODS:
        raise broken("method", f"Must be one of: {', '.join(METHODS)}.")
    if "initiated_by" in data and data["initiated_by"] not in INITIATORS:
        raise broken("initiated_by", f"Must be one of: {', '.join(INITIATORS)}.")
    if data.get("unit_cost") is not None and data["unit_cost"] < 0:
        raise broken("unit_cost", "Must not be negative.")
    if data.get("unit_duration_minutes") is not None and data["unit_duration_minutes"] < 0:
        raise broken("unit_duration_minutes", "Must not be negative.")
    for name in ("unit_cost", "unit_duration_minutes"):
        if name in data and data[name] is None:
            raise broken(name, "Field may not be null.")
    return data
