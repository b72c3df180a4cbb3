"""A user's counts at a moment, with their breakdown, and the next moment they change by themselves.

Planned items count when due at or before `now + window` (overdue when due at or before
`now`); incoming items always count. A planned count changes without any event when a task
enters the window (at its due time minus the window) and, in its breakdown, when it becomes
overdue (at its due time): `next_change` is the earliest such moment after `now`.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Iterable

from crm_counters.domain.copies import INBOUND_KINDS, OWNED_LINKS
from crm_counters.domain.items import COMMENT, INCOMING, PLANNED, Item
from crm_counters.domain.settings import ACTIVITY, Effective

OVERDUE, DUE_SOON = "overdue", "due_soon"
CATEGORIES = (*INBOUND_KINDS, COMMENT)
#: the record types of the breakdown; `none` for an activity linked to no record
RECORD_TYPES = (*OWNED_LINKS, "none")


def counts_for(item: Item, user_id: str, mode: str) -> bool:
    """Tell whether an item counts for this user in this mode (a comment never counts for its author)."""
    owner = item.activity_user_id if mode == ACTIVITY else item.record_user_id
    return owner == user_id and item.author_id != user_id


@dataclass(frozen=True)
class Counts:
    """A user's counters as the API answers them (`as_dict`), and when they next change by themselves."""

    user_id: str
    settings: Effective
    as_of: datetime
    planned: tuple[Item, ...]
    incoming: tuple[Item, ...]
    overdue: int
    next_change: datetime | None

    def as_dict(self) -> dict[str, Any]:
        return {
            "user_id": self.user_id, "planned": len(self.planned), "incoming": len(self.incoming),
            "breakdown": {
                "planned": {OVERDUE: self.overdue, DUE_SOON: len(self.planned) - self.overdue,
                            "by_record_type": _by_record_type(self.planned)},
                "incoming": {"by_category": _tally([item.category or "" for item in self.incoming], CATEGORIES),
                             "by_record_type": _by_record_type(self.incoming)},
            },
            "window_minutes": self.settings.window_minutes, "mode": self.settings.mode,
            "as_of": self.as_of.isoformat(),
        }


def count(user_id: str, items: Iterable[Item], settings: Effective, now: datetime) -> Counts:
    """Return a user's counts at `now` from the items that may count for them (others are skipped)."""
    window = timedelta(minutes=settings.window_minutes)
    planned, incoming, upcoming = [], [], []
    for item in items:
        if not counts_for(item, user_id, settings.mode):
            continue
        if item.counter == INCOMING:
            incoming.append(item)
        elif item.counter == PLANNED and item.due is not None:
            (planned if item.due <= now + window else upcoming).append(item)
    changes = [item.due for item in planned if item.due and item.due > now]
    changes += [item.due - window for item in upcoming if item.due]
    return Counts(user_id=user_id, settings=settings, as_of=now, planned=tuple(planned), incoming=tuple(incoming),
                  overdue=sum(1 for item in planned if item.due and item.due <= now),
                  next_change=min(changes, default=None))


def per_record(counts: Counts) -> list[dict[str, Any]]:
    """Return the records the counted activities belong to, each with its counts, most activities first."""
    rows: dict[tuple[str, str], dict[str, Any]] = {}
    for counter, items in ((PLANNED, counts.planned), (INCOMING, counts.incoming)):
        for item in items:
            if item.record is None:
                continue
            row = rows.setdefault((item.record.type, item.record.id),
                                  {"record": item.record.as_dict(), PLANNED: 0, INCOMING: 0})
            row[counter] += 1
            row["record"]["name"] = row["record"]["name"] or item.record.name
    return sorted(rows.values(), key=lambda row: (-(row[PLANNED] + row[INCOMING]), row["record"]["type"],
                                                  row["record"]["id"]))


def _by_record_type(items: Iterable[Item]) -> dict[str, int]:
    return _tally((item.record.type if item.record else "none" for item in items), RECORD_TYPES)


def _tally(keys: Iterable[str], known: Iterable[str]) -> dict[str, int]:
    """Count the keys; every known key is there, zero or not."""
    counted = Counter(keys)
    return {key: counted.get(key, 0) for key in dict.fromkeys([*known, *sorted(counted)])}
