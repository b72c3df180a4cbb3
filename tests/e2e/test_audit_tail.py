"""Through the gateway, in both modes: the live tail of the audit log (AUD-4) — filtered, resumed with
Last-Event-ID during a burst of writes without a gap or a repeat, opened by a browser's single-use
ticket — and `crm-audit tail` following a running suite, one line per change."""
from __future__ import annotations

import json
import os
import queue
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any, Iterator

import pytest

from crm_shared.testing.sse import Stream
from crm_suite.testing import USER_PASSWORD, Client, RunningSuite

pytestmark = pytest.mark.e2e
#: on a loaded machine the relays and consumers lag: how long a test waits for an event's effect
LAG = 60
CLI = Path(sys.executable).with_name("crm-audit")


class Tail(Stream):
    """`GET /api/v1/audit/stream` through the gateway, read one entry at a time: (id, entry)."""

    def __init__(self, suite: RunningSuite, token: str, query: str = "", last_id: str | None = None) -> None:
        headers = {"Authorization": f"Bearer {token}"}
        if last_id is not None:
            headers["Last-Event-ID"] = last_id
        super().__init__(suite.gateway, f"/api/v1/audit/stream{query}", headers, timeout=LAG, event="entry")

    def next(self, timeout: float = LAG) -> tuple[str, dict[str, Any]]:  # type: ignore[override]
        received = self.received(timeout)
        assert received.id is not None
        return received.id, received.data


def test_a_filtered_tail_resumed_with_last_event_id_during_a_burst_gets_every_matching_entry_once(
        suite: RunningSuite) -> None:
    writer, user = suite.new_user("admin", prefix="tail")  # the filter by user keeps other tests' entries out
    query = f"?user_id={user['id']}&object_type=person&operation=created"
    tail = Tail(suite, writer.token, query)
    assert tail.status == 200 and tail.response.getheader("Content-Type").startswith("text/event-stream")
    created: list[str] = []

    def burst() -> None:
        for n in range(30):
            created.append(writer.created("/persons", {"first_name": "Tail", "last_name": f"No. {n}"})["id"])
            writer.created("/companies", {"name": f"Tail company {n}"})  # written by the same user, not matching

    thread = threading.Thread(target=burst)
    thread.start()
    got: list[tuple[str, dict[str, Any]]] = [tail.next() for _ in range(5)]
    tail.close()  # a reconnect mid-burst
    tail = Tail(suite, writer.token, query, last_id=got[-1][0])
    thread.join()
    try:
        while len(got) < 30:
            got.append(tail.next())
        with pytest.raises(TimeoutError):
            tail.next(timeout=3)
    finally:
        tail.close()
    assert sorted(entry["object_id"] for _, entry in got) == sorted(created)  # each once, none missed
    assert {(entry["object_type"], entry["operation"], entry["user"]["id"]) for _, entry in got} == {
        ("person", "created", user["id"])}
    listed = {entry["id"]: entry for entry in writer.audit_entries(user_id=user["id"], object_type="person")}
    assert all(entry == listed[entry["id"]] for _, entry in got)  # exactly as the list answers them


def test_the_tail_is_for_admins_only(suite: RunningSuite) -> None:
    member, _ = suite.new_user(prefix="tail")
    refused = Tail(suite, member.token)
    assert refused.status == 403 and refused.response.getheader("Content-Type") == "application/problem+json"
    refused.close()
    assert suite.client().get("/audit/stream", headers={"Authorization": "Bearer nonsense"}).status_code == 401
    assert member.post("/audit/stream-ticket", json={}).status_code == 403


def test_a_browser_opens_the_tail_once_with_a_ticket_and_no_header(suite: RunningSuite) -> None:
    writer, user = suite.new_user("admin", prefix="tail")
    ticket = writer.created("/audit/stream-ticket", {})
    path = f"{ticket['stream']}&user_id={user['id']}"
    tail = Stream(suite.gateway, path, timeout=LAG, event="entry")  # what an EventSource sends: no header
    try:
        assert tail.status == 200
        person = writer.created("/persons", {"first_name": "Ticket", "last_name": "Holder"})
        assert tail.next(timeout=LAG)["object_id"] == person["id"]
    finally:
        tail.close()
    again = Stream(suite.gateway, path, timeout=LAG, event="entry")
    assert again.status == 401 and again.response.getheader("Content-Type") == "application/problem+json"
    again.close()


def _lines(process: subprocess.Popen[str]) -> "queue.Queue[str]":
    lines: queue.Queue[str] = queue.Queue()

    def pump() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            lines.put(line.rstrip("\n"))

    threading.Thread(target=pump, daemon=True).start()
    return lines


@pytest.fixture
def cli_env(suite: RunningSuite) -> Iterator[dict[str, str]]:
    env = {key: value for key, value in os.environ.items() if key != "CRM_TOKEN"}
    yield {**env, "CRM_GATEWAY_URL": suite.gateway}


def test_the_cli_follows_a_running_suite_and_prints_each_change_as_a_line(
        suite: RunningSuite, cli_env: dict[str, str]) -> None:
    assert CLI.exists(), "make installs crm-audit"
    writer, user = suite.new_user("admin", prefix="tailcli")
    process = subprocess.Popen(
        # the user is new: its last entries are this test's only, so a CLI slow to connect still prints them all
        [str(CLI), "tail", "-f", "-n", "10", "--user-id", user["id"], "--object-type", "person"],
        env={**cli_env, "CRM_TOKEN": writer.token}, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        lines = _lines(process)
        time.sleep(1)  # the stream is open before the first change
        created = writer.session.post(f"{suite.gateway}/api/v1/persons", timeout=30,
                                      json={"first_name": "Jana", "last_name": "Tailová", "phones": ["+420 111"]})
        assert created.status_code == 201, created.text
        person = created.json()
        changed = writer.patch(f"/persons/{person['id']}", json={"phones": ["+420 222"]},
                               headers={"If-Match": created.headers["ETag"]})
        assert changed.status_code == 200, changed.text
        who = user["name"]
        wanted_update = f'{who} updated person Jana Tailová phones: ["+420 111"] → ["+420 222"]'
        deadline = time.monotonic() + LAG
        printed: list[str] = []
        while not any(line.endswith(wanted_update) for line in printed):
            try:
                printed.append(lines.get(timeout=max(deadline - time.monotonic(), 0.01)))
            except queue.Empty:
                raise AssertionError(f"the update never printed: {printed}") from None
        assert any(f"{who} created person Jana Tailová phones: ∅ → " in line for line in printed), printed
        update = next(line for line in printed if line.endswith(wanted_update))
        assert update.split(" ", 1)[0].endswith("Z")  # the time first, in UTC
    finally:
        process.terminate()
        process.wait(10)


def test_the_cli_prints_json_lines_and_logs_in_at_a_prompt_without_a_token(
        suite: RunningSuite, cli_env: dict[str, str]) -> None:
    writer, user = suite.new_user("admin", prefix="tailjson")
    person = writer.created("/persons", {"first_name": "Petr", "last_name": "Jsonový"})
    entries = _wait_for_entries(writer, user["id"])
    done = subprocess.run([str(CLI), "tail", "--json", "-n", "5", "--user-id", user["id"]], env=cli_env, text=True,
                          input=f"{user['username']}\n{USER_PASSWORD}\n", capture_output=True, timeout=LAG)
    assert done.returncode == 0, done.stderr
    printed = [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]
    assert printed == list(reversed(entries)) and printed[-1]["object_id"] == person["id"]
    refused = subprocess.run([str(CLI), "tail"], env={**cli_env, "CRM_TOKEN": "nonsense"}, text=True,
                             capture_output=True, timeout=LAG)
    assert refused.returncode == 1 and "401" in refused.stderr


def _wait_for_entries(client: Client, user_id: str) -> list[dict[str, Any]]:
    deadline = time.monotonic() + LAG
    while time.monotonic() < deadline:
        found = client.audit_entries(user_id=user_id)
        if found:
            return found
        time.sleep(0.2)
    raise AssertionError("no entry arrived")
