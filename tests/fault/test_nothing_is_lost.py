"""Faults that count: broker outage, a killed consumer, poison messages — nothing lost, nothing doubled."""
from __future__ import annotations

import json
import os
import signal
import threading
import time
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pika
import pytest

from crm_shared.testing import servers
from crm_suite.testing import Client, RunningSuite, wait_for

pytestmark = [pytest.mark.fault, pytest.mark.integration]


@pytest.fixture
def suite(distributed_suite: RunningSuite) -> RunningSuite:
    """The run's distributed suite: these tests run after every other test that uses it (but the
    `backlog` ones), and each proves it recovered, so later ones find it whole."""
    return distributed_suite


def create_persons(client: Client, count: int, label: str, workers: int = 4) -> list[str]:
    def one(n: int) -> str | None:
        response = client.post("/persons", json={"first_name": label, "last_name": f"No. {n}"})
        return response.json()["id"] if response.status_code == 201 else None

    with ThreadPoolExecutor(workers) as pool:
        return [pid for pid in pool.map(one, range(count)) if pid]


def created_entries(client: Client, first_name_label: str, user_id: str) -> Counter[str]:
    entries = client.audit_entries(user_id=user_id, object_type="person", operation="created")
    return Counter(
        e["object_id"] for e in entries
        if any(c["field"] == "first_name" and c["after"] == first_name_label for c in e["changes"])
    )


def assert_exactly_one_entry_each(client: Client, label: str, user_id: str, ids: list[str],
                                  timeout: float = 90) -> None:
    wait_for(lambda: len(created_entries(client, label, user_id)) >= len(ids), timeout=timeout, interval=0.5)
    counts = created_entries(client, label, user_id)
    assert set(counts) == set(ids)
    assert set(counts.values()) == {1}


def test_writes_during_a_broker_outage_each_get_exactly_one_audit_entry(suite: RunningSuite) -> None:
    admin = suite.client()
    writer, user = suite.new_user(prefix="outage")
    label = f"outage-{uuid.uuid4().hex[:6]}"
    ids: list[str] = []
    stop = threading.Event()

    def write() -> None:
        n = 0
        while not stop.is_set():
            response = writer.post("/persons", json={"first_name": label, "last_name": f"No. {n}"})
            assert response.status_code == 201, response.text
            ids.append(response.json()["id"])
            n += 1
            time.sleep(0.01)

    writing = threading.Thread(target=write)
    writing.start()
    try:
        time.sleep(1)
        servers.rabbitmqctl("stop_app")
        during_outage = len(ids)
        time.sleep(5)
        assert len(ids) > during_outage, "writes must go on while the broker is down"
    finally:
        servers.rabbitmqctl("start_app")
        servers.rabbitmqctl("await_startup")
    time.sleep(2)
    stop.set()
    writing.join(30)
    assert len(ids) > 50
    assert_exactly_one_entry_each(admin, label, user["id"], ids)


def test_a_consumer_killed_mid_stream_loses_and_doubles_nothing(suite: RunningSuite) -> None:
    admin = suite.client()
    writer, user = suite.new_user(prefix="kill")
    label = f"kill-{uuid.uuid4().hex[:6]}"
    consumer = suite.pid("audit-consumer")
    os.kill(consumer, signal.SIGSTOP)  # let a backlog build up so that the kill lands mid-stream
    try:
        ids = create_persons(writer, 1000, label)
    finally:
        os.kill(consumer, signal.SIGCONT)
    seen = wait_for(lambda: len(created_entries(admin, label, user["id"])), timeout=30, interval=0.01)
    os.kill(consumer, signal.SIGKILL)
    print(f"killed the consumer after {seen} of {len(ids)} entries")
    assert 0 < seen < len(ids), "the kill must land while the backlog is being consumed"
    wait_for(lambda: suite.pid("audit-consumer") != consumer, timeout=20)
    assert_exactly_one_entry_each(admin, label, user["id"], ids)


def test_poison_messages_land_in_the_dead_letter_queue_and_do_not_block_the_rest(suite: RunningSuite) -> None:
    admin = suite.client()
    parameters = pika.URLParameters(suite.env["CRM_BROKER_URL"])
    connection = pika.BlockingConnection(parameters)
    channel = connection.channel()
    properties = pika.BasicProperties(content_type="application/cloudevents+json", delivery_mode=2)
    not_json = f"{{this is not json {uuid.uuid4()}".encode()
    wrong_shape = json.dumps({"specversion": "1.0", "id": str(uuid.uuid4()), "source": "/crm/contacts",
                              "type": "crm.person.updated", "time": "2026-11-22T10:00:00+00:00",
                              "data": {"changes": "x"}}).encode()
    channel.basic_publish("crm.events", "crm.person.updated", not_json, properties)
    channel.basic_publish("crm.events", "crm.person.updated", wrong_shape, properties)
    connection.close()

    person = admin.post("/persons", json={"last_name": "Po Jedu"}).json()
    wait_for(lambda: admin.audit_entries(object_id=person["id"]), timeout=60)

    # the dead-letter queue may also hold letters of earlier tests on this suite: look for these two
    connection = pika.BlockingConnection(parameters)
    channel = connection.channel()
    letters: dict[bytes, dict[str, object]] = {}
    deadline = time.monotonic() + 60
    while not {not_json, wrong_shape} <= set(letters) and time.monotonic() < deadline:
        method, props, body = channel.basic_get("audit.dead", auto_ack=True)
        if method is None:
            time.sleep(0.1)
            continue
        letters[body] = props.headers or {}
    connection.close()
    assert {not_json, wrong_shape} <= set(letters), sorted(letters)
    assert letters[not_json].get("x-error") and letters[wrong_shape].get("x-error")
