"""Redaction of an anonymized subject's personal values from its audit history (AUD-6, CON-4)."""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from crm_shared.erasure import ANONYMIZED, REDACTED

from crm_audit.domain.entries import AuditEntry

# REDACTED (what every erased value reads as) and ANONYMIZED are the kit's, the suite's one spelling
__all__ = ["ANONYMIZED", "REDACTED", "Anonymization", "Subject", "anonymization_of", "redact", "subject_of"]

#: an object as the audit log names it: (object_type, object_id)
Subject = tuple[str, str]


@dataclass(frozen=True)
class Anonymization:
    """When a subject was anonymized, and by which event."""

    object_type: str
    object_id: str
    anonymized_at: datetime
    event_id: str

    @property
    def subject(self) -> Subject:
        return (self.object_type, self.object_id)

    def later(self, other: "Anonymization | None") -> "Anonymization":
        """Return whichever of the two anonymizations happened last."""
        return self if other is None or self.anonymized_at >= other.anonymized_at else other


def anonymization_of(entry: AuditEntry) -> Anonymization | None:
    """Return the anonymization an entry records, or None for any other operation."""
    if entry.operation != ANONYMIZED:
        return None
    return Anonymization(entry.object_type, entry.object_id, entry.occurred_at, entry.id)


def subject_of(entry: AuditEntry) -> Subject:
    """Return the object an entry is about."""
    return (entry.object_type, entry.object_id)


def redact(entry: AuditEntry, anonymization: Anonymization | None) -> AuditEntry:
    """Return the entry as it may be kept once its subject is anonymized.

    An anonymization entry keeps its (empty) after values but loses every before value;
    any entry of the subject up to the anonymization loses every value and its name;
    later entries describe the record after the erasure and stay as they are.
    """
    if anonymization is None or subject_of(entry) != anonymization.subject:
        return entry
    if entry.operation == ANONYMIZED:
        return replace(entry, changes=[_blank(change, "before") for change in entry.changes])
    if entry.occurred_at > anonymization.anonymized_at:
        return entry
    changes = [_blank(_blank(change, "before"), "after") for change in entry.changes]
    name = REDACTED if entry.object_name else entry.object_name
    return replace(entry, object_name=name, changes=changes)


def _blank(change: dict[str, Any], side: str) -> dict[str, Any]:
    # null stays null: "there was no value" reveals nothing and keeps created/deleted readable
    return {**change, side: None if change.get(side) is None else REDACTED}
