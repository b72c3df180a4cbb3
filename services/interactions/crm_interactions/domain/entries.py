"""Interaction log entries (INT-2, INT-4, INT-5, INT-7): logged, canceled, restored, processed, moved, redacted."""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal
from typing import Any

from crm_shared.changes import Change, created, deleted, diff
from crm_shared.erasure import without_before_values
from crm_shared.rules import StateConflict

from crm_interactions.domain.templates import money_text

LOGGED, CANCELED = "logged", "canceled"
STATUSES = (LOGGED, CANCELED)
MANUAL, SEGMENT, RULE, INBOUND = "manual", "segment", "rule", "inbound"
SOURCES = (MANUAL, SEGMENT, RULE, INBOUND)
#: inbound communications and the communication method each is logged with
INBOUND_METHODS = {"incoming_call": "phone", "missed_call": "phone", "email": "email", "chat": "chat",
                   "payment": "other"}
INBOUND_KINDS = tuple(INBOUND_METHODS)
#: what a request may set instead of the template's settings
OVERRIDES = ("description", "method", "initiated_by", "cost", "duration_minutes", "occurred_at", "attachment_id")
AUDITED = ("template_code", "contact", "user", "method", "initiated_by", "cost", "duration_minutes", "occurred_at",
           "description", "status", "processed", "source", "kind", "attachment_id")


@dataclass(frozen=True)
class ContactRef:
    """The contact an entry is about, as the service's copy knows it (`deleted`: gone for good)."""

    type: str
    id: str
    name: str | None = None
    deleted: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {"type": self.type, "id": self.id, "name": self.name, "deleted": self.deleted}


@dataclass(frozen=True)
class User:
    """Who logged an entry (for rule entries: the actor of the event that caused it)."""

    id: str
    name: str

    def as_dict(self) -> dict[str, str]:
        return {"id": self.id, "name": self.name}


@dataclass(frozen=True)
class Entry:
    """One interaction with a contact: the template's settings as copied (or overridden) when it was logged."""

    id: str
    version: int
    template_id: str | None
    template_code: str | None
    contact: ContactRef
    user: User
    method: str
    initiated_by: str
    cost: Decimal
    duration_minutes: int
    occurred_at: datetime
    description: str | None
    status: str
    processed: bool
    source: str
    kind: str | None
    attachment_id: str | None
    created_at: datetime
    created_by: str
    updated_at: datetime
    updated_by: str
    #: the event a rule entry was made for (one entry per event and contact)
    cause_event_id: str | None = None

    @property
    def link(self) -> str:
        return f"/api/v1/interactions/{self.id}"

    @property
    def title(self) -> str:
        """Name the entry without naming its contact (the audit log keeps titles)."""
        return f"{self.template_code or self.kind or self.method} {self.occurred_at.date().isoformat()}"

    def values(self) -> dict[str, Any]:
        """Return the audited fields as the API shows them."""
        return {
            "template_code": self.template_code, "contact": self.contact.as_dict(), "user": self.user.as_dict(),
            "method": self.method, "initiated_by": self.initiated_by, "cost": money_text(self.cost),
            "duration_minutes": self.duration_minutes, "occurred_at": self.occurred_at.isoformat(),
            "description": self.description, "status": self.status, "processed": self.processed,
            "source": self.source, "kind": self.kind, "attachment_id": self.attachment_id,
        }

    def state(self) -> dict[str, Any]:
        """Return the whole entry: the API's answer and the `state` of its events."""
        return {
            "id": self.id, "template_id": self.template_id, **self.values(), "version": self.version,
            "created_at": self.created_at.isoformat(), "created_by": self.created_by,
            "updated_at": self.updated_at.isoformat(), "updated_by": self.updated_by,
        }

    def creation_changes(self) -> list[Change]:
        return created(self.values(), AUDITED)

    def deletion_changes(self) -> list[Change]:
        return deleted(self.values(), AUDITED)

    def canceled(self, *, actor_id: str, now: datetime) -> tuple["Entry", list[Change]]:
        """Cancel a logged entry; a canceled one is refused (409)."""
        if self.status == CANCELED:
            raise StateConflict("The entry is canceled already.")
        return self._changed(actor_id, now, status=CANCELED)

    def restored(self, *, actor_id: str, now: datetime) -> tuple["Entry", list[Change]]:
        """Restore a canceled entry; a logged one is refused (409)."""
        if self.status != CANCELED:
            raise StateConflict("Only a canceled entry can be restored.")
        return self._changed(actor_id, now, status=LOGGED)

    def marked_processed(self, *, actor_id: str, now: datetime) -> tuple["Entry", list[Change]]:
        """Mark an inbound entry processed (no change when it is already)."""
        if self.source != INBOUND:
            raise StateConflict("Only inbound entries are processed.")
        return self._changed(actor_id, now, processed=True)

    def moved_to(self, contact: ContactRef, *, actor_id: str, now: datetime) -> tuple["Entry", list[Change]]:
        """Point the entry at the contact its own was merged into."""
        return self._changed(actor_id, now, contact=contact)

    def redacted(self, contact: ContactRef, *, actor_id: str, now: datetime) -> tuple["Entry", list[Change]]:
        """Drop the personal values of an anonymized contact: its name (as the copy now has it) and the free text.

        Always a new version, even when nothing is left to drop: its event tells the audit log to
        redact the entry's history, which still names the contact. Its changes never carry the values
        dropped (their `before` reads `[redacted]`).
        """
        proposed = replace(self, contact=contact, description=None)
        changes = without_before_values(diff(self.values(), proposed.values(), AUDITED))
        return replace(proposed, version=self.version + 1, updated_at=now, updated_by=actor_id), changes

    def ensure_deletable(self) -> None:
        """Refuse (409) to delete an entry that is not canceled."""
        if self.status != CANCELED:
            raise StateConflict("Only canceled entries can be deleted; cancel it first.", entry_id=self.id)

    def _changed(self, actor_id: str, now: datetime, **values: Any) -> tuple["Entry", list[Change]]:
        proposed = replace(self, **values)
        changes = diff(self.values(), proposed.values(), AUDITED)
        if not changes:
            return self, []
        return replace(proposed, version=self.version + 1, updated_at=now, updated_by=actor_id), changes
