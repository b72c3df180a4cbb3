"""The relay publishes every committed outbox row exactly once per batch, in order per object."""
from __future__ import annotations

import threading
from datetime import datetime, timezone

import pytest
import sqlalchemy as sa
from kombu import Connection

from crm_shared import db
from crm_shared.envelope import Actor, wrap
from crm_shared.events import ObjectChanged
from crm_shared.inbox import inbox_table
from crm_shared.outbox import append, outbox_table
from crm_shared.publisher import ConfirmingPublisher
from crm_shared.relay import OutboxRelay
from crm_shared.topology import AUDIT

pytestmark = pytest.mark.integration


def _store(url: str) -> tuple[sa.Engine, sa.Table]:
    metadata = sa.MetaData()
    table = outbox_table(metadata)
    inbox_table(metadata)
    engine = db.create_engine(url)
    metadata.create_all(engine)
    return engine, table


def _write_events(engine: sa.Engine, table: sa.Table, objects: int, versions: int) -> None:
    now = datetime.now(timezone.utc)
    for version in range(1, versions + 1):
        with engine.begin() as conn:
            events = [
                wrap(
                    ObjectChanged("person", f"obj-{n}", f"Object {n}", f"/x/{n}", "updated", version),
                    service="test", actor=Actor("u", "User"), correlation_id="c", time=now,
                )
                for n in range(objects)
            ]
            append(conn, table, events, "test")


def _drain(amqp_url: str, expected: int) -> list[tuple[str, int]]:
    received: list[tuple[str, int]] = []
    with Connection(amqp_url) as conn:
        queue = AUDIT.queue()(conn.default_channel)
        for _ in range(expected + 5):
            message = queue.get(no_ack=True)
            if message is None:
                break
            import json

            body = json.loads(message.body)
            received.append((body["subject"], body["sequence"]))
    return received


def test_relay_publishes_each_row_once_and_marks_it(amqp_url: str, any_database_url: str) -> None:
    engine, table = _store(any_database_url)
    _write_events(engine, table, objects=10, versions=3)
    relay = OutboxRelay(engine, table, ConfirmingPublisher(lambda: Connection(amqp_url)), service="test", batch_size=7)
    while relay.publish_pending():
        pass
    with engine.connect() as conn:
        unpublished = conn.execute(sa.select(sa.func.count()).where(table.c.published_at.is_(None))).scalar()
    assert unpublished == 0
    received = _drain(amqp_url, 30)
    assert len(received) == 30
    for n in range(10):
        assert [seq for subject, seq in received if subject == f"obj-{n}"] == [1, 2, 3]


def test_concurrent_relays_publish_no_row_twice_and_keep_object_order(amqp_url: str, postgres_url: str) -> None:
    engine, table = _store(postgres_url)
    _write_events(engine, table, objects=20, versions=5)
    relays = [
        OutboxRelay(engine, table, ConfirmingPublisher(lambda: Connection(amqp_url)), service="test", batch_size=9)
        for _ in range(3)
    ]

    def work(relay: OutboxRelay) -> None:
        idle = 0
        while idle < 20:
            idle = 0 if relay.publish_pending() else idle + 1

    threads = [threading.Thread(target=work, args=(relay,)) for relay in relays]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    received = _drain(amqp_url, 100)
    assert len(received) == 100
    assert len(set(received)) == 100
    for n in range(20):
        assert [seq for subject, seq in received if subject == f"obj-{n}"] == [1, 2, 3, 4, 5]


def test_a_batch_the_broker_does_not_confirm_stays_unpublished(any_database_url: str) -> None:
    engine, table = _store(any_database_url)
    _write_events(engine, table, objects=3, versions=1)
    unreachable = ConfirmingPublisher(lambda: Connection("amqp://guest:guest@127.0.0.1:1//", connect_timeout=0.5))
    relay = OutboxRelay(engine, table, unreachable, service="test")
    from crm_shared.publisher import PublishFailed

    with pytest.raises(PublishFailed):
        relay.publish_pending()
    with engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).where(table.c.published_at.is_(None))).scalar() == 3


def test_relay_on_the_embedded_transport_routes_to_the_consumer_queues(tmp_path, sqlite_url: str) -> None:  # type: ignore[no-untyped-def]
    from crm_shared import bus
    from crm_shared.config import Settings

    settings = Settings.from_env("test", {"CRM_DATA_DIR": str(tmp_path)})
    engine, table = _store(sqlite_url)
    _write_events(engine, table, objects=2, versions=2)
    relay = OutboxRelay(engine, table, ConfirmingPublisher(lambda: bus.connect(settings)), service="test")
    assert relay.publish_pending() == 4
    with bus.connect(settings) as conn:
        queue = AUDIT.queue()(conn.default_channel)
        queue.declare()
        messages = [queue.get(no_ack=True) for _ in range(4)]
    assert all(message is not None for message in messages)
