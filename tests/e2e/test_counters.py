"""Through the gateway: Planned and Incoming from real task and deal events, in both counting modes, as the
window reaches a task, live on a stream, for a manager and an outsider, and reconciled after a rebuild."""
from __future__ import annotations

import time
from datetime import datetime, timedelta, timezone
from typing import Any, Callable

import pytest
import requests

from crm_shared.testing import sse
from crm_suite.testing import USER_PASSWORD, Client, RunningSuite, wait_for

pytestmark = pytest.mark.e2e
#: on a loaded machine the relays and consumers lag: how long a test waits for an event's effect
LAG = 60


def at(delta: timedelta) -> str:
    return (datetime.now(timezone.utc) + delta).isoformat()


def call_type(client: Client) -> str:
    return next(t["id"] for t in client.get("/task-types").json()["items"] if t["name"] == "Call")


def counters(client: Client, path: str = "/counters/me") -> dict[str, Any]:
    response = client.get(path)
    assert response.status_code == 200, response.text
    return response.json()


def until(client: Client, check: Callable[[dict[str, Any]], bool], path: str = "/counters/me") -> dict[str, Any]:
    return wait_for(lambda: check(found := counters(client, path)) and found, timeout=LAG)  # type: ignore[return-value]


class Stream(sse.Stream):
    """A server-sent event stream through the gateway, read one `counters` event at a time."""

    def __init__(self, suite: RunningSuite, path: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(suite.gateway, f"/api/v1{path}", headers, timeout=LAG, event="counters")
        self.suite = suite
        assert self.status == 200, self.response.read()

    def until(self, check: Callable[[dict[str, Any]], bool], timeout: float) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while True:
            body = self.next(max(deadline - time.monotonic(), 0.1))
            if check(body):
                return body

    def close(self) -> None:
        """Close the stream and wait until the gateway let go of it too.

        The gateway holds a thread per open stream and notices a client that left only when it
        next writes to it (the stream's keep-alive, every few seconds): until then that thread
        is taken from every other call, which later tests would feel.
        """
        self.connection.close()
        health = f"{self.suite.url('counters')}/healthz"
        wait_for(lambda: requests.get(health, timeout=10).json()["streams"] == 0, timeout=LAG)


def test_planned_and_incoming_from_deals_and_tasks_in_both_modes_and_as_the_window_moves(
        suite: RunningSuite) -> None:
    admin = suite.client()
    ann, ann_user = suite.new_user(prefix="counters")
    bob, bob_user = suite.new_user(prefix="counters")
    call = call_type(admin)
    deals = [admin.created("/deals", {"name": f"Deal {n}", "owner_id": ann_user["id"]}) for n in range(3)]
    overdue = [admin.created_linking("/tasks", {"title": f"Call {n}", "type_id": call, "responsible_id": bob_user["id"],
                                         "due": at(-timedelta(hours=1)), "links": [{"type": "deal", "id": deal["id"]}]})
               for deal in deals for n in range(2)]
    ann.created("/tasks", {"title": "Soon", "type_id": call, "due": at(timedelta(minutes=10))})
    ann.created("/tasks", {"title": "Later", "type_id": call, "due": at(timedelta(days=2))})

    # record mode (the default): the deals' owner counts the six tasks on her deals, plus her own due soon
    mine = until(ann, lambda c: c["planned"] == 7)
    assert mine["breakdown"]["planned"] == {"overdue": 6, "due_soon": 1,
                                            "by_record_type": {"deal": 6, "person": 0, "company": 0, "none": 1}}
    assert counters(bob)["planned"] == 0
    assert [(r["record"]["id"], r["planned"]) for r in counters(ann, "/counters/me/records")["items"]] == sorted(
        (deal["id"], 2) for deal in deals)
    # activity mode: each task counts for its own responsible user
    for client in (ann, bob):
        assert client.patch("/counters/settings/me", json={"mode": "activity"}).status_code == 200
    assert (counters(ann)["planned"], counters(bob)["planned"]) == (1, 6)
    for client in (ann, bob):
        client.patch("/counters/settings/me", json={"mode": None}).raise_for_status()
    assert (counters(ann)["planned"], counters(bob)["planned"]) == (7, 0)

    # completing, deleting or moving a task changes the count
    assert admin.post(f"/tasks/{overdue[0]['id']}/complete", json={}).status_code == 200
    assert admin.delete(f"/tasks/{overdue[1]['id']}").status_code == 204
    assert admin.patch(f"/tasks/{overdue[2]['id']}", json={"due": at(timedelta(days=3))}).status_code == 200
    until(ann, lambda c: c["planned"] == 4)

    # a comment by someone else on her task is incoming until she answers it
    mine_task = ann.created("/tasks", {"title": "Her own", "type_id": call})
    assert admin.post(f"/tasks/{mine_task['id']}/comments", json={"text": "Any news?"}).status_code == 201
    incoming = until(ann, lambda c: c["incoming"] == 1)
    assert incoming["breakdown"]["incoming"]["by_category"]["comment"] == 1
    assert ann.post(f"/tasks/{mine_task['id']}/comments", json={"text": "Yes, tomorrow."}).status_code == 201
    until(ann, lambda c: c["incoming"] == 0)


def test_a_task_just_past_the_window_is_pushed_on_the_stream_when_the_window_reaches_it(
        distributed_suite: RunningSuite) -> None:
    # the push comes from the counters server's own clock, not from an event: the same in both modes
    # (the other stream test runs in both), and a minute's wait is worth spending once
    suite = distributed_suite
    admin = suite.client()
    ann, _ = suite.new_user(prefix="counters")
    call = call_type(ann)
    ann.patch("/counters/settings/me", json={"window_minutes": 1}).raise_for_status()
    # due 20 s past the one-minute window: the stream's first counts must come before the window
    # reaches the task, and then the push must come the moment it does, with no event to cause it
    due = datetime.now(timezone.utc) + timedelta(minutes=1, seconds=20)
    task = ann.created("/tasks", {"title": "Just past the window", "type_id": call, "due": due.isoformat()})
    # a comment after the task: once it counts, the consumer has handled the task's own event too
    admin.post(f"/tasks/{task['id']}/comments", json={"text": "Marker"}).raise_for_status()
    ticket = ann.created("/counters/stream-ticket", {})
    stream = Stream(suite, ticket["stream"].removeprefix("/api/v1"))  # a browser's way: no header, a ticket
    try:
        first = stream.until(lambda c: c["incoming"] == 1, timeout=LAG)
        assert datetime.now(timezone.utc) < due - timedelta(minutes=1), "the machine lagged past the window"
        assert first["planned"] == 0
        pushed = stream.until(lambda c: c["planned"] == 1, timeout=LAG + 45)
        arrived = datetime.now(timezone.utc)
        entered = due - timedelta(minutes=1)
        assert timedelta(0) <= arrived - entered < timedelta(seconds=2), (arrived, entered)
        assert pushed["breakdown"]["planned"]["due_soon"] == 1
    finally:
        stream.close()
    assert ann.created("/counters/stream-ticket", {})["ticket"] != ticket["ticket"]
    with requests.get(f"{suite.gateway}{ticket['stream']}", stream=True, timeout=LAG) as used_up:
        assert used_up.status_code == 401, used_up.status_code


def test_a_stream_with_the_bearer_header_gets_the_counts_at_connect_and_after_a_change(suite: RunningSuite) -> None:
    ann, _ = suite.new_user(prefix="counters")
    call = call_type(ann)
    stream = Stream(suite, "/counters/stream", {"Authorization": f"Bearer {ann.token}"})
    try:
        assert stream.next(timeout=LAG)["planned"] == 0
        written = time.monotonic()
        ann.created("/tasks", {"title": "Now", "type_id": call, "due": at(timedelta(minutes=1))})
        pushed = stream.until(lambda c: c["planned"] == 1, timeout=LAG)
        assert pushed["breakdown"]["planned"]["due_soon"] == 1
        print(f"write → push through relay, consumer and stream: {time.monotonic() - written:.2f} s")
    finally:
        stream.close()
    assert suite.client().get("/counters/stream", headers={"Authorization": "Bearer nonsense"}).status_code == 401


def test_a_manager_reads_a_team_member_s_counters_and_an_outsider_gets_404(suite: RunningSuite) -> None:
    _, boss_user = suite.new_user("manager", prefix="counters")
    member, member_user = suite.new_user(prefix="counters", manager_id=boss_user["id"])
    outsider, _ = suite.new_user(prefix="counters")
    boss = suite.client(boss_user["username"], USER_PASSWORD)  # logged in after the team was formed: the token names it
    member.created("/tasks", {"title": "Overdue", "type_id": call_type(member), "due": at(-timedelta(minutes=5))})
    until(member, lambda c: c["planned"] == 1)
    theirs = counters(boss, f"/counters/users/{member_user['id']}")
    assert (theirs["user_id"], theirs["planned"]) == (member_user["id"], 1)
    assert member_user["id"] in [c["user_id"] for c in counters(boss, "/counters/team")["items"]]
    refused = outsider.get(f"/counters/users/{member_user['id']}")
    unknown = suite.client().get("/counters/users/no-such-user")
    assert refused.status_code == unknown.status_code == 404
    assert refused.headers["Content-Type"].startswith("application/problem+json")


def test_reconcile_finds_no_mismatch_before_and_after_a_rebuild(suite: RunningSuite) -> None:
    admin = suite.client()
    ann, _ = suite.new_user(prefix="counters")
    task = ann.created("/tasks", {"title": "Reconciled", "type_id": call_type(ann), "due": at(timedelta(minutes=5))})
    until(ann, lambda c: c["planned"] == 1)
    report = counters(admin, "/counters/reconcile")
    assert report["checked"] >= 1 and report["mismatches"] == []
    rebuilt = admin.post("/counters/rebuild")
    assert rebuilt.status_code == 200 and rebuilt.json()["items"] >= 1
    assert counters(admin, "/counters/reconcile")["mismatches"] == []
    assert ann.post("/counters/rebuild").status_code == 403
    assert counters(ann)["planned"] == 1 and task["id"]


def test_a_missed_call_on_the_user_s_person_is_incoming_until_processed(suite: RunningSuite) -> None:
    admin = suite.client()
    ann, ann_user = suite.new_user(prefix="counters")
    person = admin.created("/persons", {"first_name": "Jana", "last_name": "Volající", "owner_id": ann_user["id"]})
    entry = admin.created_linking("/interactions/inbound", {"kind": "missed_call",
                                                     "contact": {"type": "person", "id": person["id"]}})
    mine = until(ann, lambda c: c["incoming"] == 1)
    assert mine["breakdown"]["incoming"]["by_category"]["missed_call"] == 1
    assert mine["breakdown"]["incoming"]["by_record_type"]["person"] == 1
    assert admin.post(f"/interactions/{entry['id']}/processed", json={}).status_code == 200
    until(ann, lambda c: c["incoming"] == 0)
