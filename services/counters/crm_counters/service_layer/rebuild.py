"""Rebuilding the counted items from the copies, and reconciling the stored items with them (CNT-6)."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from crm_shared.errors import Forbidden
from crm_shared.events import ObjectChanged

from crm_counters.domain.counts import count
from crm_counters.domain.items import Item, derive, differences, users_of
from crm_counters.domain.settings import GLOBAL, effective

REBUILD_LINK = "/api/v1/counters/rebuild"


def _admin(uow: Any) -> None:
    if uow.viewer.role != "admin":
        raise Forbidden("Only an admin rebuilds or reconciles the counters.")


def expected_items(uow: Any) -> dict[str, Item]:
    """Return the items the copies stand for, read in the caller's transaction."""
    known = uow.records.everything()
    return derive(uow.copies.all_tasks(), uow.copies.all_comments(), uow.copies.all_entries(),
                  lambda record: known.get((record.type, record.id)))


def rebuild(uow: Any, now: datetime) -> dict[str, Any]:
    """Replace every counted item by a recomputation from the copies; an audited change of the counters."""
    _admin(uow)
    with uow:
        uow.items.lock()
        stored, expected = uow.items.everything(), expected_items(uow)
        changed = differences(stored, expected)
        uow.items.clear()
        uow.items.add(expected.values())
        uow.marks.mark(users_of([item for _, old, new in changed for item in (old, new)]), now)
        uow.emit(ObjectChanged(object_type="counters", object_id=GLOBAL, object_name="Counters",
                               object_link=REBUILD_LINK, operation="rebuilt", sequence=0,
                               extra={"items": len(expected), "corrected": len(changed)}))
        uow.commit()
    return {"items": len(expected), "corrected": len(changed)}


def reconcile(uow: Any, now: datetime) -> dict[str, Any]:
    """Compare the stored items and every user's counts with a recomputation from the copies; list each mismatch."""
    _admin(uow)
    with uow.reading():
        stored, expected = uow.items.everything(), expected_items(uow)
        shared = uow.settings.global_settings()
        settings = {user: effective(shared, uow.settings.get(user)) for user in users_of([*stored.values(),
                                                                                         *expected.values()])}
    mismatches: list[dict[str, Any]] = [
        {"kind": "item", "key": key, "stored": _shown(old), "expected": _shown(new)}
        for key, old, new in differences(stored, expected)]
    for user, current in sorted(settings.items()):
        have = count(user, stored.values(), current, now).as_dict()
        want = count(user, expected.values(), current, now).as_dict()
        if (have["planned"], have["incoming"]) != (want["planned"], want["incoming"]):
            mismatches.append({"kind": "user", "user_id": user,
                               "stored": {"planned": have["planned"], "incoming": have["incoming"]},
                               "expected": {"planned": want["planned"], "incoming": want["incoming"]}})
    return {"checked": len(stored.keys() | expected.keys()), "users": len(settings), "mismatches": mismatches}


def _shown(item: Item | None) -> dict[str, Any] | None:
    if item is None:
        return None
    return {"counter": item.counter, "category": item.category, "due": item.due.isoformat() if item.due else None,
            "record": item.record.as_dict() if item.record else None, "record_user_id": item.record_user_id,
            "activity_user_id": item.activity_user_id, "author_id": item.author_id}
