"""When a task happens: a start and an end (a timed task), a due time (a deadline), or neither (the inbox).

Rules: every time carries a zone; a start needs an end and an end a start; the end is not
before the start; a task has a due time or a start and end, never both. A patch that sets
a start and end without mentioning `due` drops the due time, and one that sets a due time
without mentioning start or end drops them, so switching kinds takes one field or pair.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any, Mapping

from crm_tasks.domain.rules import broken

TIMED, DEADLINE, INBOX = "timed", "deadline", "inbox"
FIELDS = ("start", "end", "due")


@dataclass(frozen=True)
class Schedule:
    """A task's times; which of them are set says its kind."""

    start: datetime | None = None
    end: datetime | None = None
    due: datetime | None = None

    @property
    def kind(self) -> str:
        if self.start is not None:
            return TIMED
        return DEADLINE if self.due is not None else INBOX

    @property
    def anchor(self) -> datetime | None:
        """Return when the task (its first occurrence, for a recurring one) begins or is due."""
        return self.start or self.due

    def patched(self, patch: Mapping[str, Any]) -> "Schedule":
        """Return the schedule after a patch of any of start, end and due; raise TaskRuleBroken when invalid."""
        given = {name: moment(name, patch[name]) for name in FIELDS if name in patch}
        dropped: dict[str, None] = {}
        if (given.get("start") or given.get("end")) and "due" not in given:
            dropped["due"] = None
        if given.get("due") and not {"start", "end"} & given.keys():
            dropped.update(start=None, end=None)
        proposed = replace(self, **{**dropped, **given})
        proposed.check()
        return proposed

    def check(self) -> None:
        if self.due is not None and (self.start is not None or self.end is not None):
            raise broken("due", "A task has a due time or a start and an end, not both.")
        if self.start is not None and self.end is None:
            raise broken("end", "A task with a start needs an end.")
        if self.end is not None and self.start is None:
            raise broken("start", "A task with an end needs a start.")
        if self.start is not None and self.end is not None and self.end < self.start:
            raise broken("end", "Must not be before the start.")

    def as_dict(self) -> dict[str, str | None]:
        return {name: iso(getattr(self, name)) for name in FIELDS}


def moment(field: str, value: Any) -> datetime | None:
    """Read a time with a zone from a datetime or an RFC 3339 string; None stays None."""
    if value is None:
        return None
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value.strip())
        except ValueError:
            raise broken(field, "Not a valid RFC 3339 date-time.") from None
    if not isinstance(value, datetime):
        raise broken(field, "Not a valid date-time.")
    if value.tzinfo is None or value.utcoffset() is None:
        raise broken(field, "Give the time with a zone.")
    return value


def iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None
