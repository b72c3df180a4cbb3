"""The consumer loop: decode, handle in a local transaction with a tracking row, commit, ack."""
from __future__ import annotations

import logging
import socket
import threading
import time
from dataclasses import dataclass
from typing import Any, Callable, Protocol, Sequence

import sqlalchemy as sa
from kombu import Connection, Consumer, Message, Producer
from sqlalchemy.engine import Engine

from crm_shared import dead_letters, inbox, logs, metrics, tracing
from crm_shared.envelope import CloudEvent, InvalidEvent, parse
from crm_shared.erasure import is_erasure
from crm_shared.topology import ConsumerQueue, declare_all, default_exchange
from crm_shared.types import utcnow
from crm_shared.unit_of_work import Transaction, bind

log = logging.getLogger(__name__)

#: errors that say "the database is unreachable right now", not "this message is bad"
TRANSIENT_DB_ERRORS = (sa.exc.OperationalError, sa.exc.InterfaceError, sa.exc.TimeoutError)


class EventHandler(Protocol):
    """Apply events to the consumer's store with the unit of work it is given.

    The unit is bound to the consumer's transaction (the one holding the tracking rows):
    `with uow: … uow.emit(…); uow.commit()` inside a handler is a savepoint whose events
    reach the outbox in that transaction, committed before the messages are acknowledged.
    """

    def __call__(self, uow: Any, events: Sequence[CloudEvent]) -> None: ...


@dataclass
class _Delivery:
    message: Message
    event: CloudEvent


@dataclass(frozen=True)
class ConsumerSettings:
    """How a consumer batches, retries and gives up."""

    prefetch: int = 200
    batch_size: int = 100
    max_wait: float = 0.02
    retry_delays: tuple[float, ...] = (0.1, 0.5, 2.0)
    #: how often the queue's and dead-letter queue's depths are read (passive declares)
    depth_every: float = 5.0


class EventConsumer:
    """Consume one queue into a local store with an exactly-once effect.

    Messages are handled in batches: one transaction inserts the tracking rows and the
    effect of every new event, commits, and only then are the messages acknowledged. A
    crash before the ack redelivers them; the tracking rows turn the repeat into a no-op.
    A message that can never be processed goes to the dead-letter queue with the error in
    its headers instead of blocking the queue.
    """

    def __init__(
        self,
        *,
        queue: ConsumerQueue,
        engine: Engine,
        inbox_table: sa.Table,
        handler: EventHandler,
        connection_factory: Callable[[], Connection],
        settings: ConsumerSettings = ConsumerSettings(),
        unit_of_work: Callable[[sa.Connection], Transaction] = bind(Transaction),
    ) -> None:
        self.queue = queue
        self.engine = engine
        self.inbox_table = inbox_table
        self.handler = handler
        self.unit_of_work = unit_of_work
        self.connection_factory = connection_factory
        self.settings = settings
        self._buffer: list[_Delivery] = []
        self._producer: Producer | None = None
        self._multiple_ack = False
        self._holding_unacked = False
        self._channel: Any = None
        self._broker: Connection | None = None
        self._next_depth_check = 0.0
        #: set while the consumer holds its broker channel and consumes (readiness)
        self.consuming = threading.Event()
        for family in (metrics.CONSUMER_PROCESSED, metrics.CONSUMER_DUPLICATES, metrics.CONSUMER_RETRIED,
                       metrics.CONSUMER_DEAD_LETTERED, metrics.CONSUMER_HANDLING, metrics.CONSUMER_LAG):
            family.labels(queue.name)  # shown at 0 from the start

    def run(self, stop: threading.Event) -> None:
        """Consume until `stop` is set, reconnecting after broker failures."""
        backoff = 0.5
        while not stop.is_set():
            try:
                self._consume(stop)
                backoff = 0.5
            except Exception as exc:  # broker connection errors of either transport
                # In-flight delivery tags die with the channel; the broker redelivers those
                # messages and the tracking rows absorb any that were already committed.
                self._buffer.clear()
                log.warning("consumer connection lost, reconnecting in %.1fs: %r", backoff, exc)
                stop.wait(backoff)
                backoff = min(backoff * 2, 10.0)

    def _consume(self, stop: threading.Event) -> None:
        with self.connection_factory() as connection:
            connection.connect()
            channel = connection.channel()
            declare_all(channel)
            self._producer = Producer(channel)
            self._multiple_ack = connection.transport.driver_type == "amqp"
            # set once a delivery is deliberately left unacknowledged on this channel; a
            # cumulative ack after that would acknowledge it too
            self._holding_unacked = False
            consumer = Consumer(
                channel,
                queues=[self.queue.queue()],
                on_message=self._on_message,
                prefetch_count=self.settings.prefetch,
            )
            self._channel, self._broker = channel, connection
            with consumer:
                log.info("consuming", extra={"queue": self.queue.name})
                self.consuming.set()
                try:
                    self._drain(connection, stop)
                finally:
                    self.consuming.clear()
                    self._channel = self._broker = None

    def _check_depths(self) -> None:
        """Read the queue's and its dead letters' depths from passive declares (every few seconds)."""
        now = time.monotonic()
        if now < self._next_depth_check or self._channel is None:
            return
        self._next_depth_check = now + self.settings.depth_every
        for name, gauge in ((self.queue.name, metrics.QUEUE_DEPTH), (self.queue.dead_letter_name,
                                                                      metrics.DEAD_LETTER_DEPTH)):
            declared = self._channel.queue_declare(queue=name, passive=True)
            gauge.labels(self.queue.name).set(declared.message_count)

    def _drain(self, connection: Connection, stop: threading.Event) -> None:
        oldest = 0.0
        while not stop.is_set():
            timeout = self.settings.max_wait if self._buffer else 1.0
            try:
                connection.drain_events(timeout=timeout)
            except socket.timeout:
                connection.heartbeat_check()
            self._check_depths()
            if self._buffer and not oldest:
                oldest = time.monotonic()
            if self._buffer and (
                len(self._buffer) >= self.settings.batch_size
                or time.monotonic() - oldest >= self.settings.max_wait
            ):
                self._flush(stop)
                oldest = 0.0
        if self._buffer:
            self._flush(stop)

    def _on_message(self, message: Message) -> None:
        try:
            event = parse(message.body)
        except InvalidEvent as exc:
            self._dead_letter(message, exc)
            return
        self._buffer.append(_Delivery(message, event))

    def _flush(self, stop: threading.Event) -> None:
        batch, self._buffer = self._buffer, []
        started, started_ns = time.monotonic(), time.time_ns()
        try:
            with logs.context(event_ids=[d.event.id for d in batch],
                              correlation_ids=sorted({d.event.correlationid for d in batch})):
                fresh = self._commit_with_db_retries([d.event for d in batch], stop)
        except _Stopped:
            self._holding_unacked = True
            return  # not acked: redelivered to whoever consumes next
        except Exception:
            # One bad event must not hold back the others: redo them one at a time.
            log.warning("batch of %d failed, isolating the failing events", len(batch), exc_info=True)
            try:
                for delivery in batch:
                    self._process_single(delivery, stop)
            except _Stopped:
                self._holding_unacked = True
                return  # the rest stays unacknowledged and is redelivered
            return
        self._observe(batch, fresh, started, started_ns)
        self._ack(batch)
        self._redact_dead_letters([delivery.event for delivery in batch])

    def _process_single(self, delivery: _Delivery, stop: threading.Event) -> None:
        event = delivery.event
        with logs.context(event_id=event.id, correlation_id=event.correlationid):
            for attempt, delay in enumerate((*self.settings.retry_delays, None)):
                started, started_ns = time.monotonic(), time.time_ns()
                try:
                    fresh = self._commit_with_db_retries([event], stop)
                except _Stopped:
                    raise
                except InvalidEvent as exc:
                    self._dead_letter(delivery.message, exc, delivery)
                    return
                except Exception as exc:
                    if delay is None:
                        self._dead_letter(delivery.message, exc, delivery)
                        return
                    metrics.CONSUMER_RETRIED.labels(self.queue.name).inc()
                    log.warning("event %s failed (attempt %d), retrying", event.id, attempt + 1)
                    stop.wait(delay)
                else:
                    self._observe([delivery], fresh, started, started_ns)
                    # acknowledged on its own: a cumulative ack could cover an earlier event of
                    # the batch that was left unacknowledged
                    delivery.message.ack()
                    self._redact_dead_letters([event])
                    return

    def _observe(self, batch: list[_Delivery], fresh: set[str], started: float, started_ns: int) -> None:
        """Count and time a committed batch; a span per newly handled event (when tracing is on)."""
        queue = self.queue.name
        committed = utcnow()
        metrics.CONSUMER_HANDLING.labels(queue).observe(time.monotonic() - started)
        metrics.CONSUMER_PROCESSED.labels(queue).inc(len(fresh))
        if len(batch) > len(fresh):
            metrics.CONSUMER_DUPLICATES.labels(queue).inc(len(batch) - len(fresh))
        lag = metrics.CONSUMER_LAG.labels(queue)
        handled = [delivery for delivery in batch if delivery.event.id in fresh]
        for delivery in handled:
            lag.observe(max(0.0, (committed - delivery.event.time).total_seconds()))
        if tracing.enabled():
            for delivery in handled:
                self._span(delivery, started_ns)

    def _span(self, delivery: _Delivery, started_ns: int, error: BaseException | None = None) -> None:
        event = delivery.event
        headers = delivery.message.headers or {}
        parent = tracing.extract(headers if "traceparent" in headers else {"traceparent": event.traceparent})
        span = tracing.tracer().start_span(
            f"process {event.type}", context=parent, kind=tracing.SpanKind.CONSUMER, start_time=started_ns,
            attributes={"messaging.system": "rabbitmq", "messaging.operation.type": "process",
                        "messaging.destination.name": self.queue.name, "messaging.message.id": event.id,
                        "crm.correlation_id": event.correlationid, "crm.event.subject": event.subject})
        if error is not None:
            span.record_exception(error)
            span.set_status(tracing.Status(tracing.StatusCode.ERROR, f"dead-lettered: {error}"[:200]))
        span.end()

    def _commit_with_db_retries(self, events: list[CloudEvent], stop: threading.Event) -> set[str]:
        backoff = 0.2
        while True:
            try:
                return self._commit(events)
            except TRANSIENT_DB_ERRORS as exc:
                # The database is down, not the message bad: hold the messages (unacked)
                # and wait for it, however long, rather than dead-lettering good events.
                if stop.is_set():
                    raise _Stopped() from exc
                log.warning("database unavailable, retrying in %.1fs: %s", backoff, exc)
                stop.wait(backoff)
                backoff = min(backoff * 2, 5.0)

    def _commit(self, events: list[CloudEvent]) -> set[str]:
        """Apply the events not seen before in one transaction; return the ids of those."""
        with self.engine.begin() as connection:
            new_ids = inbox.claim(connection, self.inbox_table, self.queue.name, [e.id for e in events])
            seen: set[str] = set()
            fresh = []
            for event in events:
                if event.id in new_ids and event.id not in seen:
                    seen.add(event.id)
                    fresh.append(event)
            if fresh:
                self.handler(self.unit_of_work(connection), fresh)
        return seen

    def _ack(self, batch: list[_Delivery]) -> None:
        if self._multiple_ack and not self._holding_unacked:
            # one frame acknowledges every outstanding delivery up to the last of the batch
            batch[-1].message.ack(multiple=True)
            return
        for delivery in batch:
            delivery.message.ack()

    def _redact_dead_letters(self, events: Sequence[CloudEvent]) -> None:
        """Once an erasure event is handled, take its subject's values out of this queue's dead letters.

        A letter naming the subject was dead-lettered before the erasure reached this consumer (it
        handles its queue in order). A repeat of the erasure redacts again, which finds nothing new;
        a failure is logged and left to `crm-dead-letters redact`, never holding back the queue.
        """
        erased = [event.subject for event in events if is_erasure(event.type) and event.subject]
        if not erased or self._broker is None:
            return
        for subject in dict.fromkeys(erased):
            try:
                dead_letters.redact_naming(self._broker, self.queue, subject)
            except Exception:
                log.warning("could not redact the dead letters naming an erased subject", exc_info=True,
                            extra={"queue": self.queue.dead_letter_name, "subject": subject})

    def _dead_letter(self, message: Message, error: BaseException, delivery: _Delivery | None = None) -> None:
        assert self._producer is not None
        headers = dict(message.headers or {})
        headers.update(
            {
                "x-error": f"{type(error).__name__}: {error}"[:1000],
                "x-consumer": self.queue.name,
                "x-original-routing-key": message.delivery_info.get("routing_key", ""),
                "x-original-exchange": message.delivery_info.get("exchange", ""),
            }
        )
        body = message.body
        self._producer.publish(
            body,
            exchange=default_exchange,
            routing_key=self.queue.dead_letter_name,
            headers=headers,
            content_type=message.content_type or "application/octet-stream",
            content_encoding=message.content_encoding or "binary",
            delivery_mode=2,
            retry=False,
        )
        message.ack()
        metrics.CONSUMER_DEAD_LETTERED.labels(self.queue.name).inc()
        if delivery is not None and tracing.enabled():
            self._span(delivery, time.time_ns(), error)
        log.error("dead-lettered a message", extra={"queue": self.queue.dead_letter_name, "error": headers["x-error"],
                                                     "message_id": message.properties.get("message_id")})


class _Stopped(Exception):
    """Stopping while the database is unavailable: leave the messages unacknowledged."""
