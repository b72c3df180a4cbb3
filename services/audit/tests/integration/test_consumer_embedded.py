"""The audit consumer in the embedded mode: SQLite and kombu's file transport, no servers."""
from __future__ import annotations

import threading
from pathlib import Path
from typing import Callable

import sqlalchemy as sa
from kombu import Producer

from crm_audit.__main__ import MIGRATIONS
from crm_audit.adapters.tables import audit_entries
from crm_audit.consumer import build_consumer
from crm_shared import bus, db, migrations, topology
from crm_shared.config import Settings
from crm_shared.envelope import CloudEvent
from crm_shared.publisher import ConfirmingPublisher, OutgoingMessage
from crm_shared.testing.fixtures import wait_until


def test_events_on_the_embedded_transport_become_entries_and_poison_a_dead_letter(
    sqlite_url: str,
    tmp_path: Path,
    settings_for: Callable[..., Settings],
    make_event: Callable[..., CloudEvent],
) -> None:
    settings = settings_for(sqlite_url, tmp_path)
    migrations.upgrade(sqlite_url, MIGRATIONS, "audit")
    engine = db.create_engine(sqlite_url)
    events = [make_event(object_id=f"p-{n}") for n in range(30)]
    publisher = ConfirmingPublisher(lambda: bus.connect(settings))
    publisher.publish_batch([OutgoingMessage(e.type, e.to_json(), e.id) for e in events + events[:5]])
    with bus.connect(settings) as connection:
        topology.declare_all(connection.default_channel)
        Producer(connection.default_channel).publish(
            b"{not json", exchange=topology.events_exchange, routing_key="crm.person.updated",
            content_type="application/cloudevents+json", content_encoding="binary",
        )
    publisher.close()
    stop = threading.Event()
    thread = threading.Thread(target=build_consumer(settings, engine).run, args=(stop,), daemon=True)
    thread.start()
    try:
        wait_until(lambda: _count(engine) == 30 and _dead_letter(settings), timeout=20)
    finally:
        stop.set()
        thread.join(10)
        engine.dispose()


def _count(engine: sa.Engine) -> int:
    with engine.connect() as connection:
        return connection.execute(sa.select(sa.func.count()).select_from(audit_entries)).scalar_one()


def _dead_letter(settings: Settings) -> bool:
    with bus.connect(settings) as connection:
        message = topology.AUDIT.dead_letter_queue()(connection.default_channel).get(no_ack=True)
        return message is not None and message.headers["x-error"].startswith("InvalidEvent")
