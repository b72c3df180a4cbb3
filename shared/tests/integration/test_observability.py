"""The kit's relay and consumer carry the trace from the outbox row to the handler, count what they do,
and every consumer log line names the event and the request that caused it."""
from __future__ import annotations

import io
import json
import logging
import threading
import time
from datetime import datetime, timezone
from typing import Iterator, Sequence

import pytest
import sqlalchemy as sa
from kombu import Connection
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind
from prometheus_client import REGISTRY

from crm_shared import db, logs, tracing
from crm_shared.consumer import ConsumerSettings, EventConsumer
from crm_shared.envelope import Actor, CloudEvent, wrap
from crm_shared.events import ObjectChanged
from crm_shared.inbox import inbox_table
from crm_shared.outbox import append, outbox_table
from crm_shared.publisher import ConfirmingPublisher
from crm_shared.relay import OutboxRelay
from crm_shared.testing.fixtures import wait_until
from crm_shared.topology import AUDIT, declare_all
from crm_shared.unit_of_work import Transaction

pytestmark = pytest.mark.integration

metadata = sa.MetaData()
outbox = outbox_table(metadata)
inbox = inbox_table(metadata)
handled: list[str] = []
log = logging.getLogger("crm.test.handler")


def handler(_uow: Transaction, events: Sequence[CloudEvent]) -> None:
    for event in events:
        log.info("handling %s", event.subject)
        if event.data.get("operation") == "explode":
            raise RuntimeError("this event always fails")
        handled.append(event.id)


@pytest.fixture
def spans() -> Iterator[InMemorySpanExporter]:
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    tracing.install(provider)
    yield exporter
    tracing.install(None)


@pytest.fixture
def json_log() -> Iterator[io.StringIO]:
    stream = io.StringIO()
    handler_ = logging.StreamHandler(stream)
    handler_.setFormatter(logs.JsonFormatter("test-consumer"))
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler_)
    root.setLevel(logging.INFO)
    yield stream
    root.removeHandler(handler_)
    root.setLevel(level)


@pytest.fixture
def consumer(amqp_url: str, any_database_url: str) -> Iterator[tuple[sa.Engine, EventConsumer]]:
    engine = db.create_engine(any_database_url)
    metadata.create_all(engine)
    consumer = EventConsumer(queue=AUDIT, engine=engine, inbox_table=inbox, handler=handler,
                             connection_factory=lambda: Connection(amqp_url),
                             settings=ConsumerSettings(retry_delays=(0.01,), depth_every=0.1))
    with Connection(amqp_url) as conn:
        declare_all(conn.default_channel)
    stop = threading.Event()
    thread = threading.Thread(target=consumer.run, args=(stop,), daemon=True)
    thread.start()
    yield engine, consumer
    stop.set()
    thread.join(10)
    engine.dispose()


def sample(name: str) -> float:
    return REGISTRY.get_sample_value(name, {"queue": "audit"}) or 0.0


def write(engine: sa.Engine, operation: str = "updated", correlation_id: str = "req-1") -> CloudEvent:
    event = wrap(ObjectChanged("person", f"p-{operation}", "P", "/p", operation, 1), service="test",
                 actor=Actor("u", "U"), correlation_id=correlation_id, time=datetime.now(timezone.utc),
                 traceparent=tracing.current_traceparent())
    with engine.begin() as conn:
        append(conn, outbox, [event], "test")
    return event


def test_a_trace_runs_from_the_span_that_wrote_the_row_through_the_relay_to_the_consumer(
    consumer: tuple[sa.Engine, EventConsumer], amqp_url: str, spans: InMemorySpanExporter
) -> None:
    engine, _ = consumer
    with tracing.tracer().start_as_current_span("PATCH /persons/<id>", kind=SpanKind.SERVER) as request_span:
        event = write(engine)
    assert event.traceparent.split("-")[1] == format(request_span.get_span_context().trace_id, "032x")
    relay = OutboxRelay(engine, outbox, ConfirmingPublisher(lambda: Connection(amqp_url)), service="test")
    assert relay.publish_pending() == 1
    wait_until(lambda: event.id in handled, timeout=20)

    wait_until(lambda: any(s.kind == SpanKind.CONSUMER for s in spans.get_finished_spans()), timeout=10)
    by_kind = {span.kind: span for span in spans.get_finished_spans()}
    request, publish, process = by_kind[SpanKind.SERVER], by_kind[SpanKind.PRODUCER], by_kind[SpanKind.CONSUMER]
    assert {request.context.trace_id, publish.context.trace_id, process.context.trace_id} == {
        request.context.trace_id}
    assert publish.parent.span_id == request.context.span_id
    assert process.parent.span_id == publish.context.span_id
    assert (publish.name, process.name) == ("publish crm.person.updated", "process crm.person.updated")
    assert process.attributes["messaging.message.id"] == event.id
    assert process.attributes["crm.correlation_id"] == "req-1"


def test_without_an_exporter_nothing_is_traced_and_the_envelope_carries_no_traceparent(sqlite_url: str) -> None:
    assert not tracing.enabled()
    with tracing.tracer().start_as_current_span("request"):
        assert tracing.current_traceparent() == ""
    engine = db.create_engine(sqlite_url)
    metadata.create_all(engine)
    event = write(engine)
    assert "traceparent" not in event.to_dict()


def test_the_consumer_counts_processed_retried_and_dead_lettered_and_logs_with_the_event_s_ids(
    consumer: tuple[sa.Engine, EventConsumer], amqp_url: str, json_log: io.StringIO
) -> None:
    engine, running = consumer
    before = {name: sample(name) for name in ("crm_consumer_processed_total", "crm_consumer_retried_total",
                                              "crm_consumer_dead_lettered_total", "crm_consumer_lag_seconds_count")}
    good, bad = write(engine, "updated", "req-good"), write(engine, "explode", "req-bad")
    OutboxRelay(engine, outbox, ConfirmingPublisher(lambda: Connection(amqp_url)), service="test").publish_pending()
    wait_until(lambda: sample("crm_consumer_dead_lettered_total") > before["crm_consumer_dead_lettered_total"],
               timeout=20)

    assert sample("crm_consumer_processed_total") - before["crm_consumer_processed_total"] == 1
    assert sample("crm_consumer_lag_seconds_count") - before["crm_consumer_lag_seconds_count"] == 1
    assert sample("crm_consumer_retried_total") - before["crm_consumer_retried_total"] == 1
    assert sample("crm_consumer_dead_lettered_total") - before["crm_consumer_dead_lettered_total"] == 1
    wait_until(lambda: REGISTRY.get_sample_value("crm_dead_letter_queue_depth", {"queue": "audit"}) == 1, timeout=10)
    assert running.consuming.is_set()

    lines = [json.loads(line) for line in json_log.getvalue().splitlines()]
    single = [line for line in lines if line.get("event_id") == bad.id]
    assert single and all(line["correlation_id"] == "req-bad" for line in single)
    assert any(line["message"] == "dead-lettered a message" for line in single)
    assert any("attempt 1" in line["message"] for line in single)
    by_subject = {"handling p-updated": (good.id, "req-good"), "handling p-explode": (bad.id, "req-bad")}
    handling = [line for line in lines if line["logger"] == "crm.test.handler"]
    assert handling
    for line in handling:  # one event's line names it; a batch's line names every event of the batch
        event_id, correlation_id = by_subject[line["message"]]
        assert event_id in line.get("event_ids", [line.get("event_id")])
        assert correlation_id in line.get("correlation_ids", [line.get("correlation_id")])


def test_a_relay_is_ready_while_it_reaches_the_database_and_holds_the_broker_connection(
    amqp_url: str, sqlite_url: str
) -> None:
    from crm_shared.relay_main import backlog_gauges, readiness
    from crm_shared.wakeup import PollingWakeup

    engine = db.create_engine(sqlite_url)
    metadata.create_all(engine)
    for url, reachable in ((amqp_url, True), ("amqp://guest:guest@127.0.0.1:9//", False)):
        publisher = ConfirmingPublisher(lambda url=url: Connection(url, connect_timeout=1))
        relay = OutboxRelay(engine, outbox, publisher, service="test")
        ready = readiness(engine, publisher)
        stop = threading.Event()
        thread = threading.Thread(target=relay.run, args=(PollingWakeup(0.05), stop), daemon=True)
        thread.start()
        try:
            if reachable:
                wait_until(lambda: publisher.connected, timeout=10)
                ready()
            else:
                time.sleep(1.5)
                with pytest.raises(RuntimeError, match="no connection to the broker"):
                    ready()
        finally:
            stop.set()
            thread.join(10)
            publisher.close()
    write(engine)  # waits: the backlog shows it, with its age
    backlog, oldest = backlog_gauges(OutboxRelay(engine, outbox, ConfirmingPublisher(lambda: Connection(amqp_url)),
                                                 service="test"))
    assert backlog.samples[0].value == 1 and 0 <= oldest.samples[0].value < 60
    engine.dispose()
    with pytest.raises(Exception):
        readiness(sa.create_engine("postgresql+psycopg://nobody@127.0.0.1:9/none"), publisher)()
