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
from typing import Iterator

import pika
import pytest

from crm_shared.testing import servers
from crm_suite.testing import Client, RunningSuite, wait_for

pytestmark = [pytest.mark.fault, pytest.mark.integration]


@pytest.fixture(scope="module")
def suite(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningSuite]:
    servers.require(servers.POSTGRES_URL, "PostgreSQL")
    servers.require(servers.AMQP_URL, "RabbitMQ")
    running = RunningSuite(tmp_path_factory.mktemp("faults"), distributed=True)
    try:
        running.start()
        yield running
    finally:
        running.stop()


def create_persons(client: Client, count: int, label: str, workers: int = 4) -> list[str]:
    def one(n: int) -> str | None:
        response = client.post("/persons", json={"first_name": label, "last_name": f"No. {n}"})
        return response.json()["id"] if response.status_code == 201 else None

    with ThreadPoolExecutor(workers) as pool:
        return [pid for pid in pool.map(one, range(count)) if pid]


def created_entries(client: Client, first_name_label: str) -> Counter[str]:
    entries = client.audit_entries(object_type="person", operation="created")
    return Counter(
        e["object_id"] for e in entries
        if any(c["field"] == "first_name" and c["after"] == first_name_label for c in e["changes"])
    )


def assert_exactly_one_entry_each(client: Client, label: str, ids: list[str], timeout: float = 90) -> None:
    wait_for(lambda: len(created_entries(client, label)) >= len(ids), timeout=timeout, interval=0.5)
    counts = created_entries(client, label)
    assert set(counts) == set(ids)
    assert set(counts.values()) == {1}


def test_writes_during_a_broker_outage_each_get_exactly_one_audit_entry(suite: RunningSuite) -> None:
    admin = suite.client()
    label = f"outage-{uuid.uuid4().hex[:6]}"
    ids: list[str] = []
    stop = threading.Event()

    def write() -> None:
        n = 0
        while not stop.is_set():
            response = admin.post("/persons", json={"first_name": label, "last_name": f"No. {n}"})
            assert response.status_code == 201, response.text
            ids.append(response.json()["id"])
            n += 1
            time.sleep(0.01)

    writer = threading.Thread(target=write)
    writer.start()
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
    writer.join(30)
    assert len(ids) > 50
    assert_exactly_one_entry_each(admin, label, ids)


def test_a_consumer_killed_mid_stream_loses_and_doubles_nothing(suite: RunningSuite) -> None:
    admin = suite.client()
    label = f"kill-{uuid.uuid4().hex[:6]}"
    consumer = suite.pid("audit-consumer")
    os.kill(consumer, signal.SIGSTOP)  # let a backlog build up so that the kill lands mid-stream
    try:
        ids = create_persons(admin, 1500, label)
    finally:
        os.kill(consumer, signal.SIGCONT)
    seen = wait_for(lambda: len(created_entries(admin, label)), timeout=30, interval=0.01)
    os.kill(consumer, signal.SIGKILL)
    print(f"killed the consumer after {seen} of {len(ids)} entries")
    assert 0 < seen < len(ids), "the kill must land while the backlog is being consumed"
    wait_for(lambda: suite.pid("audit-consumer") != consumer, timeout=20)
    assert_exactly_one_entry_each(admin, label, ids)


def test_poison_messages_land_in_the_dead_letter_queue_and_do_not_block_the_rest(suite: RunningSuite) -> None:
    admin = suite.client()
    parameters = pika.URLParameters(suite.env["CRM_BROKER_URL"])
    connection = pika.BlockingConnection(parameters)
    channel = connection.channel()
    properties = pika.BasicProperties(content_type="application/cloudevents+json", delivery_mode=2)
    wrong_shape = {"specversion": "1.0", "id": str(uuid.uuid4()), "source": "/crm/contacts",
                   "type": "crm.person.updated", "time": "2026-11-22T10:00:00+00:00", "data": {"changes": "x"}}
    channel.basic_publish("crm.events", "crm.person.updated", b"{this is not json", properties)
    channel.basic_publish("crm.events", "crm.person.updated", json.dumps(wrong_shape).encode(), properties)
    connection.close()

    person = admin.post("/persons", json={"last_name": "Po Jedu"}).json()
    wait_for(lambda: admin.audit_entries(object_id=person["id"]), timeout=10)

    connection = pika.BlockingConnection(parameters)
    channel = connection.channel()
    letters = []
    deadline = time.monotonic() + 10
    while len(letters) < 2 and time.monotonic() < deadline:
        method, props, body = channel.basic_get("audit.dead", auto_ack=True)
        if method is None:
            time.sleep(0.1)
            continue
        letters.append((body, props.headers or {}))
    connection.close()
    assert sorted(body for body, _ in letters) == sorted([b"{this is not json", json.dumps(wrong_shape).encode()])
    assert all(headers.get("x-error") for _, headers in letters)
