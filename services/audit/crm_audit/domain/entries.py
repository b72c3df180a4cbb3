"""Audit entries: who changed which object how, and when (read from events by crm_audit.event_reader)."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

#: longest values of the columns that are indexed or filtered on
MAX_KEY_LENGTH = 100
MAX_NAME_LENGTH = 64
MAX_CHANNEL_LENGTH = 32
#: an entry's id is its event's UUID
ENTRY_ID_LENGTH = 36


@dataclass(frozen=True)
class AuditEntry:
    """Who changed which object how, and when; `changes` are `{"field","before","after"}` dicts."""

    id: str
    occurred_at: datetime
    user_id: str
    user_name: str
    channel: str
    object_type: str
    object_id: str
    object_name: str | None
    object_link: str | None
    operation: str
    changes: list[dict[str, Any]] = field(default_factory=list)
    correlation_id: str = ""
    source: str = ""
    recorded_at: datetime | None = None
    #: the insertion sequence, assigned when the entry is stored (the live tail resumes after it)
    seq: int | None = None
    #: the entry whose `before` value this change put back (a restore, AUD-8), else None
    restored_from: str | None = None


@dataclass(frozen=True)
class EntryFilter:
    """The filters of the list and the export; `occurred_from` is inclusive, `occurred_to` exclusive."""

    occurred_from: datetime | None = None
    occurred_to: datetime | None = None
    user_id: str | None = None
    object_type: str | None = None
    object_id: str | None = None
    operation: str | None = None

    def matches(self, entry: AuditEntry) -> bool:
        """Whether `entry` is one the list would answer with these filters."""
        if self.occurred_from is not None and entry.occurred_at < self.occurred_from:
            return False
        if self.occurred_to is not None and entry.occurred_at >= self.occurred_to:
            return False
        return all(
            getattr(self, name) is None or getattr(self, name) == getattr(entry, name)
            for name in ("user_id", "object_type", "object_id", "operation")
        )
