"""10,000 random task, comment, interaction and record events, repeated and out of order, leave exactly the
counts the same events give in order: `reconcile` finds nothing, before and after a rebuild (CNT-6)."""
from __future__ import annotations

import random
from datetime import timedelta
from typing import Any

import sqlalchemy as sa

from crm_shared.envelope import CloudEvent
from crm_shared.types import utcnow

from crm_counters.adapters.items import CountedItems
from crm_counters.service_layer.record_events import handle_events

from ..unit.builders import comment_event, entry_event, record_event, task_event
from ..unit.counters_fakes import counters_uow
from .conftest import AS_ADMIN, Api, handle

TOTAL = 10_000
USERS = ("ann", "bob", "cid", "dan")


def _links(rng: random.Random) -> list[dict[str, str]]:
    roll = rng.random()
    if roll < 0.4:
        return [{"type": "deal", "id": f"deal-{rng.randrange(15)}"}]
    if roll < 0.7:
        return [{"type": "person", "id": f"person-{rng.randrange(15)}"}]
    return []


def _task_history(rng: random.Random, task_id: str) -> list[CloudEvent]:
    now, events, at = utcnow(), [], utcnow() - timedelta(hours=3)
    state: dict[str, Any] = {}
    for version in range(1, rng.randint(2, 8) + 1):
        state = {"responsible": rng.choice(USERS), "links": _links(rng), "done": rng.random() < 0.2,
                 "due": rng.choice([None, now + timedelta(minutes=rng.randint(-120, 120))])}
        events.append(task_event(task_id, "created" if version == 1 else "updated", version, **state))
        for _ in range(rng.choice([0, 0, 1, 2])):
            at += timedelta(minutes=rng.randint(1, 20))
            events.append(comment_event(task_id, f"{task_id}-c{len(events)}", rng.choice(USERS), at, version, **state))
    if rng.random() < 0.15:
        events.append(task_event(task_id, "deleted", version, **state))
    return events


def _entry_history(rng: random.Random, entry_id: str) -> list[CloudEvent]:
    events = []
    for version in range(1, rng.randint(1, 5) + 1):
        events.append(entry_event(
            entry_id, "created" if version == 1 else rng.choice(["updated", "processed", "canceled", "restored"]),
            version, contact=("person", f"person-{rng.randrange(15)}"), user=rng.choice((*USERS, "system")),
            kind=rng.choice(["missed_call", "incoming_call", "email", "chat", "payment", None]),
            source=rng.choice(["inbound", "inbound", "manual", "rule"]), processed=rng.random() < 0.3,
            canceled=rng.random() < 0.1))
    if rng.random() < 0.1:
        events.append(entry_event(entry_id, "deleted", version))
    return events


def _record_history(rng: random.Random, kind: str, record_id: str) -> list[CloudEvent]:
    events = [record_event(kind, record_id, rng.choice((*USERS, None)), "created" if version == 1 else "updated",
                           version, name=f"{kind} {record_id} v{version}")
              for version in range(1, rng.randint(1, 4) + 1)]
    if rng.random() < 0.1:
        events.append(record_event(kind, record_id, None, "deleted", len(events)))
    return events


def histories(seed: int) -> list[CloudEvent]:
    """Return the events of random objects in the order each object had them, about TOTAL of them with repeats."""
    rng = random.Random(seed)
    events: list[CloudEvent] = []
    for number in range(15):
        events += _record_history(rng, "deal", f"deal-{number}") + _record_history(rng, "person", f"person-{number}")
    for number in range(700):
        events += _task_history(rng, f"task-{number}")
    for number in range(500):
        events += _entry_history(rng, f"entry-{number}")
    assert len(events) < TOTAL
    return events


def test_ten_thousand_events_repeated_and_out_of_order_reconcile_with_no_mismatch(api: Api) -> None:
    in_order = histories(seed=20261201)
    rng = random.Random(7)
    delivered = in_order + [rng.choice(in_order) for _ in range(TOTAL - len(in_order))]
    rng.shuffle(delivered)
    assert len(delivered) == TOTAL
    for start in range(0, TOTAL, 200):
        handle(api.engine, *delivered[start:start + 200])

    expected = counters_uow()
    handle_events(expected, in_order)  # type: ignore[arg-type]
    with api.engine.connect() as connection:
        stored = CountedItems(connection).everything()
    assert stored == expected.items.items
    assert len(stored) > 500

    report = api.ok("GET", "/counters/reconcile", headers=AS_ADMIN)
    assert report["checked"] == len(stored) and report["mismatches"] == []
    assert api.ok("POST", "/counters/rebuild", headers=AS_ADMIN)["corrected"] == 0
    assert api.ok("GET", "/counters/reconcile", headers=AS_ADMIN)["mismatches"] == []


def test_reconcile_lists_a_tampered_item_and_rebuild_puts_it_right(api: Api) -> None:
    handle(api.engine, *histories(seed=3)[:400])
    with api.engine.begin() as connection:
        connection.execute(sa.text("UPDATE counted_items SET record_user_id = 'mallory' WHERE key IN "
                                   "(SELECT key FROM counted_items ORDER BY key LIMIT 2)"))
    found = api.ok("GET", "/counters/reconcile", headers=AS_ADMIN)["mismatches"]
    assert [m["kind"] for m in found].count("item") == 2 and {"kind": "user", "user_id": "mallory",
                                                              "stored": found[-1]["stored"],
                                                              "expected": {"planned": 0, "incoming": 0}} in found
    assert api.ok("POST", "/counters/rebuild", headers=AS_ADMIN)["corrected"] == 2
    assert api.ok("GET", "/counters/reconcile", headers=AS_ADMIN)["mismatches"] == []
