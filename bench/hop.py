"""The lag baseline: one bare broker hop and one commit per event, paced like the suite's writes."""
from __future__ import annotations

import threading
import time
from typing import Callable

import psycopg
from kombu import Connection, Consumer, Message, Producer, Queue

from crm_shared.envelope import CONTENT_TYPE

from bench.events import WireEvent, person_events
from bench.lag import LagResult
from bench.pacing import open_loop
from bench.sightings import Sightings
from bench.workspace import Workspace

QUEUE = Queue("hop", routing_key="hop", durable=True)


def bare_hop_lag(workspace: Workspace, *, rate: float, seconds: float) -> LagResult:
    """Publish with a confirm, consume, insert, commit, ack; await each row like an audit entry."""
    dsn = workspace.database("hop").replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(dsn, autocommit=True) as connection:
        connection.execute("CREATE TABLE hop_events (event_id text PRIMARY KEY, body text NOT NULL)")
    url = workspace.vhosts("hop")["hop"]
    events = person_events(int(rate * seconds))
    stop, ready = threading.Event(), threading.Event()
    consumer = threading.Thread(target=_consume, args=(url, dsn, stop, ready), name="hop-consumer", daemon=True)
    consumer.start()
    try:
        if not ready.wait(10):
            raise RuntimeError("the bare hop consumer did not start")
        with Sightings(dsn, "hop_events", "event_id") as sightings, _Publishers(url) as publish:

            def send(index: int) -> None:
                publish(events[index])
                sightings.expect(events[index].event_id, time.monotonic())

            pacing = open_loop(send, rate=rate, seconds=seconds, workers=4)
            missing = sightings.wait_all(timeout=30)
            return LagResult(sightings.latencies(), missing, pacing)
    finally:
        stop.set()
        consumer.join(10)


def _consume(url: str, dsn: str, stop: threading.Event, ready: threading.Event) -> None:
    with Connection(url) as broker, psycopg.connect(dsn, autocommit=True) as database:

        def on_message(message: Message) -> None:
            database.execute("INSERT INTO hop_events (event_id, body) VALUES (%s, %s)",
                             (message.properties["message_id"], message.body))
            message.ack()

        with Consumer(broker.channel(), queues=[QUEUE], on_message=on_message, prefetch_count=200):
            ready.set()
            while not stop.is_set():
                try:
                    broker.drain_events(timeout=0.2)
                except TimeoutError:
                    pass


class _Publishers:
    """A confirming connection per publishing thread (kombu connections are not thread-safe)."""

    def __init__(self, url: str) -> None:
        self._url = url
        self._local = threading.local()
        self._connections: list[Connection] = []
        self._lock = threading.Lock()

    def __enter__(self) -> Callable[[WireEvent], None]:
        return self.publish

    def __exit__(self, *exc_info: object) -> None:
        for connection in self._connections:
            connection.release()

    def publish(self, event: WireEvent) -> None:
        """Publish one persistent event and return when the broker confirmed it."""
        producer = getattr(self._local, "producer", None)
        if producer is None:
            connection = Connection(self._url, transport_options={"confirm_publish": True})
            with self._lock:
                self._connections.append(connection)
            producer = self._local.producer = Producer(connection.channel())
            QUEUE(producer.channel).declare()
        producer.publish(event.body, exchange="", routing_key=QUEUE.routing_key, delivery_mode=2,
                         content_type=CONTENT_TYPE, content_encoding="utf-8", message_id=event.event_id,
                         retry=False)
