"""The audit consumer on real RabbitMQ and PostgreSQL: one entry per event, poison dead-lettered."""
from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Callable, Iterator

import pika
import pytest
import sqlalchemy as sa

from crm_audit.__main__ import MIGRATIONS
from crm_audit.adapters.tables import audit_entries
from crm_audit.consumer import build_consumer
from crm_shared import bus, db, migrations
from crm_shared.config import Settings
from crm_shared.consumer import ConsumerSettings
from crm_shared.envelope import CloudEvent
from crm_shared.publisher import ConfirmingPublisher, OutgoingMessage
from crm_shared.testing.fixtures import wait_until
from crm_shared.topology import declare_all

pytestmark = pytest.mark.integration


class AuditWorker:
    """The audit consumer of one test, started and stopped in a thread."""

    def __init__(self, settings: Settings, engine: sa.Engine) -> None:
        self.settings = settings
        self.engine = engine
        self._runs: list[tuple[threading.Event, threading.Thread]] = []

    def start(self) -> None:
        consumer = build_consumer(self.settings, self.engine, ConsumerSettings(retry_delays=(0.01, 0.01)))
        stop = threading.Event()
        thread = threading.Thread(target=consumer.run, args=(stop,), daemon=True)
        thread.start()
        self._runs.append((stop, thread))

    def stop(self) -> None:
        for stop, thread in self._runs:
            stop.set()
            thread.join(15)
        self._runs.clear()

    def publish(self, events: list[CloudEvent]) -> None:
        publisher = ConfirmingPublisher(lambda: bus.connect(self.settings))
        try:
            publisher.publish_batch([OutgoingMessage(e.type, e.to_json(), e.id) for e in events])
        finally:
            publisher.close()

    def entry_ids(self) -> list[str]:
        with self.engine.connect() as connection:
            return list(connection.execute(sa.select(audit_entries.c.id)).scalars())


@pytest.fixture
def worker(
    postgres_url: str, amqp_url: str, tmp_path: Path, settings_for: Callable[..., Settings]
) -> Iterator[AuditWorker]:
    """A migrated PostgreSQL store and a vhost whose queues exist before anything is published."""
    migrations.upgrade(postgres_url, MIGRATIONS, "audit")
    engine = db.create_engine(postgres_url)
    audit = AuditWorker(settings_for(postgres_url, tmp_path, amqp_url), engine)
    with bus.connect(audit.settings) as connection:
        declare_all(connection.default_channel)
    yield audit
    audit.stop()
    engine.dispose()


def test_every_published_event_becomes_one_entry(worker: AuditWorker, make_event) -> None:
    events = [make_event(object_id=f"p-{n}") for n in range(250)]
    worker.start()

    worker.publish(events)

    wait_until(lambda: len(worker.entry_ids()) == 250, timeout=30)
    assert sorted(worker.entry_ids()) == sorted(e.id for e in events)


def test_an_event_delivered_twice_is_recorded_once(worker: AuditWorker, make_event) -> None:
    twice, later = make_event(), make_event()
    worker.start()

    worker.publish([twice])
    worker.publish([twice])
    worker.publish([later])

    wait_until(lambda: later.id in worker.entry_ids(), timeout=20)
    assert sorted(worker.entry_ids()) == sorted([twice.id, later.id])


def test_nothing_is_lost_or_doubled_when_the_consumer_restarts(worker: AuditWorker, make_event) -> None:
    events = [make_event(object_id=f"p-{n}") for n in range(2000)]
    worker.publish(events)
    worker.start()
    wait_until(lambda: len(worker.entry_ids()) > 0, timeout=20)

    worker.stop()
    worker.start()

    wait_until(lambda: len(worker.entry_ids()) == 2000, timeout=60)
    assert sorted(worker.entry_ids()) == sorted(e.id for e in events)


def test_malformed_messages_go_to_the_dead_letter_queue_and_later_events_still_count(
    worker: AuditWorker, make_event, amqp_url: str
) -> None:
    no_object_type = make_event().to_dict()
    del no_object_type["data"]["object_type"]
    worker.start()

    with pika.BlockingConnection(pika.URLParameters(amqp_url)) as connection:
        channel = connection.channel()
        for body in (b"{not json", json.dumps(no_object_type).encode()):
            channel.basic_publish(
                exchange="crm.events", routing_key="crm.person.updated", body=body,
                properties=pika.BasicProperties(content_type="application/cloudevents+json", delivery_mode=2),
            )
    later = make_event()
    worker.publish([later])

    wait_until(lambda: later.id in worker.entry_ids(), timeout=20)
    letters = wait_until(lambda: _dead_letters(amqp_url, 2), timeout=20)
    assert sorted(body for body, _ in letters) == sorted([b"{not json", json.dumps(no_object_type).encode()])
    assert all(headers["x-error"].startswith("InvalidEvent") for _, headers in letters)
    assert worker.entry_ids() == [later.id]


def _dead_letters(amqp_url: str, expected: int) -> list[tuple[bytes, dict]] | None:
    """Take the messages of audit.dead once there are `expected` of them."""
    with pika.BlockingConnection(pika.URLParameters(amqp_url)) as connection:
        channel = connection.channel()
        if channel.queue_declare("audit.dead", passive=True).method.message_count < expected:
            return None
        letters = []
        while True:
            method, properties, body = channel.basic_get("audit.dead", auto_ack=True)
            if method is None:
                return letters
            letters.append((body, properties.headers or {}))
