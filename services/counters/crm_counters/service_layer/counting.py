"""Reading counts: one's own, a team member's (managers), anyone's (admins), per record."""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, Iterable

from crm_shared.errors import NotFound
from crm_shared.visibility import can_see, visible_owners

from crm_counters.domain.counts import Counts, count, per_record
from crm_counters.domain.settings import effective


def counts_of(uow: Any, user_id: str, now: datetime) -> Counts:
    """Return a user's counts at `now`, read with their effective settings (no visibility check)."""
    settings = effective(uow.settings.global_settings(), uow.settings.get(user_id))
    until = now + timedelta(minutes=settings.window_minutes)
    return count(user_id, uow.items.of_user(user_id, settings.mode, until), settings, now)


def read_counts(uow: Any, user_id: str, now: datetime) -> dict[str, Any]:
    """Return the counts of a user the viewer may see (themselves, their team, anyone for an admin); 404 otherwise."""
    if not can_see(uow.viewer, user_id):
        raise NotFound(f"No counters of a user with id {user_id}.")
    with uow.reading():
        return counts_of(uow, user_id, now).as_dict()


def read_team(uow: Any, everyone: Iterable[str], now: datetime) -> list[dict[str, Any]]:
    """Return the counts of every user the viewer may see: themselves and their team; for an admin, `everyone`."""
    owners = visible_owners(uow.viewer)
    users = list(dict.fromkeys([uow.viewer.id, *(everyone if owners is None else owners)]))
    with uow.reading():
        return [counts_of(uow, user_id, now).as_dict() for user_id in users]


def read_records(uow: Any, now: datetime) -> dict[str, Any]:
    """Return the records the viewer's counted activities belong to, with their counts, and the unlinked ones."""
    with uow.reading():
        counts = counts_of(uow, uow.viewer.id, now)
    return {"items": per_record(counts),
            "unlinked": {"planned": sum(1 for item in counts.planned if item.record is None),
                         "incoming": sum(1 for item in counts.incoming if item.record is None)}}


def live_counts(uow: Any, user_id: str, now: datetime) -> tuple[dict[str, Any], datetime | None]:
    """Return what a stream pushes for a user, and when those counts next change by themselves."""
    with uow.reading():
        counts = counts_of(uow, user_id, now)
    return counts.as_dict(), counts.next_change


def marks_of(uow: Any, user_ids: list[str]) -> dict[str, int]:
    """Return the change mark of each of these users whose counts ever changed."""
    with uow.reading():
        return uow.marks.of(user_ids)
