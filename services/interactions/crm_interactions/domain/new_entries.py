"""New entries: a template's settings copied for a contact (manual, segment, rule), or an inbound communication."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any, Mapping

from crm_shared.rules import broken

from crm_interactions.domain.entries import (
    INBOUND, INBOUND_KINDS, INBOUND_METHODS, LOGGED, MANUAL, OVERRIDES, ContactRef, Entry, User,
)
from crm_interactions.domain.templates import INITIATORS, METHODS, Template


@dataclass(frozen=True)
class Stamp:
    """Who makes new entries, when, and why (a rule's event)."""

    user: User
    actor_id: str
    now: datetime
    source: str = MANUAL
    cause_event_id: str | None = None


def logged_entry(template: Template, contact: ContactRef, overrides: Mapping[str, Any], stamp: Stamp, *,
                 id: str, anonymized: bool = False) -> Entry:
    """Copy the template's settings onto a new entry for `contact`, each overridable by the request.

    An anonymized contact's entry is stored redacted from the start: no free text.
    """
    data = {"description": template.description, "method": template.method, "initiated_by": template.initiated_by,
            "cost": template.unit_cost, "duration_minutes": template.unit_duration_minutes,
            "occurred_at": stamp.now, "attachment_id": template.attachment_id}
    data.update({name: value for name, value in overrides.items() if name in OVERRIDES and value is not None})
    _check(data)
    if anonymized:
        data["description"] = None
    return Entry(id=id, version=1, template_id=template.id, template_code=template.code, contact=contact,
                 user=stamp.user, status=LOGGED, processed=stamp.source != INBOUND, source=stamp.source, kind=None,
                 created_at=stamp.now, created_by=stamp.actor_id, updated_at=stamp.now, updated_by=stamp.actor_id,
                 cause_event_id=stamp.cause_event_id, **data)


def inbound_entry(kind: str, contact: ContactRef, subject: str | None, occurred_at: datetime | None, stamp: Stamp,
                  *, id: str, anonymized: bool = False) -> Entry:
    """Record an inbound communication: initiated by the contact, not processed yet, free of cost."""
    if kind not in INBOUND_METHODS:
        raise broken("kind", f"Must be one of: {', '.join(INBOUND_KINDS)}.")
    return Entry(id=id, version=1, template_id=None, template_code=None, contact=contact, user=stamp.user,
                 method=INBOUND_METHODS[kind], initiated_by="them", cost=Decimal("0"), duration_minutes=0,
                 occurred_at=occurred_at or stamp.now, description=None if anonymized else subject, status=LOGGED,
                 processed=False, source=INBOUND, kind=kind, attachment_id=None, created_at=stamp.now,
                 created_by=stamp.actor_id, updated_at=stamp.now, updated_by=stamp.actor_id)


def _check(data: Mapping[str, Any]) -> None:
    if data["method"] not in METHODS:
        raise broken("method", f"Must be one of: {', '.join(METHODS)}.")
    if data["initiated_by"] not in INITIATORS:
        raise broken("initiated_by", f"Must be one of: {', '.join(INITIATORS)}.")
    if data["cost"] < 0:
        raise broken("cost", "Must not be negative.")
    if data["duration_minutes"] < 0:
        raise broken("duration_minutes", "Must not be negative.")
