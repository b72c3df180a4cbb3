"""Measurement 4: the outbox relay's publish rate beside bare kombu loops with and without confirms."""
from __future__ import annotations

import time
from dataclasses import dataclass

import sqlalchemy as sa
from kombu import Connection, Producer

from crm_shared import bus, db
from crm_shared.config import Settings
from crm_shared.envelope import CONTENT_TYPE
from crm_shared.outbox import outbox_table
from crm_shared.publisher import ConfirmingPublisher
from crm_shared.relay import OutboxRelay
from crm_shared.topology import declare_all, events_exchange
from crm_shared.types import utcnow

from bench.events import WireEvent
from bench.rates import Rate
from bench.workspace import Workspace

#: the relay's batch size in the suite (crm_shared.relay_main's default)
BATCH_SIZE = 500


@dataclass(frozen=True)
class PublishResults:
    """Three publishers of the same events, each into its own vhost's audit queue."""

    relay: Rate
    confirm_each: Rate
    no_confirm: Rate
    relay_broker: str
    no_confirm_broker: str


def measure_publishing(workspace: Workspace, events: list[WireEvent], *, confirm_cap: float) -> PublishResults:
    """Publish the events three ways; the per-message-confirm loop stops after `confirm_cap` seconds."""
    brokers = workspace.vhosts("relay", "confirm", "plain")
    relay = relay_rate(workspace, brokers["relay"], events)
    confirm_each = bare_rate(brokers["confirm"], events, confirm=True, max_seconds=confirm_cap)
    no_confirm = bare_rate(brokers["plain"], events, confirm=False)
    return PublishResults(relay, confirm_each, no_confirm, brokers["relay"], brokers["plain"])


def relay_rate(workspace: Workspace, broker_url: str, events: list[WireEvent]) -> Rate:
    """Fill an outbox with the events, then time OutboxRelay batches until it is empty."""
    engine = db.create_engine(workspace.database("outbox"), pool_size=2)
    table = outbox_table(sa.MetaData())
    settings = Settings.from_env("bench", {"CRM_BROKER_URL": broker_url})
    publisher = ConfirmingPublisher(lambda: bus.connect(settings))
    try:
        _fill(engine, table, events)
        relay = OutboxRelay(engine, table, publisher, service="bench", batch_size=BATCH_SIZE)
        started = time.monotonic()
        published = 0
        while batch := relay.publish_pending():
            published += batch
        return Rate(published, time.monotonic() - started)
    finally:
        publisher.close()
        engine.dispose()


def _fill(engine: sa.Engine, table: sa.Table, events: list[WireEvent]) -> None:
    table.metadata.create_all(engine)
    now = utcnow()
    rows = [{"event_id": e.event_id, "routing_key": e.routing_key, "body": e.body, "created_at": now} for e in events]
    with engine.begin() as connection:
        connection.execute(table.insert(), rows)
    with engine.connect() as connection:
        # fresh statistics, as autovacuum keeps them on a live outbox
        connection.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql(f"ANALYZE {table.name}")


def bare_rate(broker_url: str, events: list[WireEvent], *, confirm: bool, max_seconds: float = 60.0) -> Rate:
    """Publish the events one by one, as the relay would, with py-amqp waiting per confirm or not at all."""
    options = {"confirm_publish": True} if confirm else {}
    started = time.monotonic()
    deadline = started + max_seconds
    sent = 0
    with Connection(broker_url, transport_options=options) as connection:
        channel = connection.channel()
        declare_all(channel)
        producer = Producer(channel)
        for event in events:
            producer.publish(event.body, exchange=events_exchange, routing_key=event.routing_key,
                             content_type=CONTENT_TYPE, content_encoding="utf-8", delivery_mode=2,
                             message_id=event.event_id, retry=False)
            sent += 1
            if time.monotonic() >= deadline:
                break
        return Rate(sent, time.monotonic() - started)
