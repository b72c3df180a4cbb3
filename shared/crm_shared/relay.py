"""The outbox relay: moves committed events from a service's outbox to the bus."""
from __future__ import annotations

import json
import logging
import threading
import time
import zlib
from datetime import timedelta

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from crm_shared import metrics, outbox, tracing
from crm_shared.erasure import is_erasure
from crm_shared.publisher import ConfirmingPublisher, OutgoingMessage, PublishFailed
from crm_shared.types import UTCDateTime, utcnow
from crm_shared.wakeup import Wakeup

log = logging.getLogger(__name__)


class OutboxRelay:
    """Publish unpublished outbox rows in id order, a batch per transaction.

    Rows are selected by state (`published_at IS NULL`), never by "id greater than the
    last one seen": ids are handed out at insert but rows become visible at commit, in
    another order, and a watermark would skip the late ones. Per object, ids do follow
    versions, because a writer must hold the object's row lock to insert its next event.
    """

    def __init__(
        self,
        engine: Engine,
        table: sa.Table,
        publisher: ConfirmingPublisher,
        *,
        service: str,
        batch_size: int = 500,
        retention: timedelta = timedelta(days=1),
    ) -> None:
        self.engine = engine
        self.table = table
        self.publisher = publisher
        self.service = service
        self.batch_size = batch_size
        self.retention = retention
        self._postgres = engine.dialect.name == "postgresql"
        for family in (metrics.RELAY_BATCHES, metrics.RELAY_PUBLISHED, metrics.RELAY_FAILED):
            family.labels(service)  # shown at 0 from the start
        # one relay publishes at a time per service: several relays taking disjoint
        # batches could otherwise publish version 3 of an object before version 2
        self._take_turn = sa.select(
            sa.func.pg_try_advisory_xact_lock(zlib.crc32(f"crm-outbox-relay:{service}".encode()))
        )
        # built once: the relay runs these for every batch, often of a single row
        self._pending = (
            sa.select(table.c.id, table.c.event_id, table.c.routing_key, table.c.body)
            .where(table.c.published_at.is_(None))
            .order_by(table.c.id)
            .limit(batch_size)
        )
        if self._postgres:
            self._pending = self._pending.with_for_update(skip_locked=True)
        self._mark_published = (
            table.update()
            .where(table.c.id.in_(sa.bindparam("ids", expanding=True)))
            .values(published_at=sa.bindparam("now", type_=UTCDateTime()))
        )

    def publish_pending(self) -> int:
        """Publish one batch; return how many rows were published (0 if none or not our turn)."""
        with self.engine.begin() as conn:
            if self._postgres and not conn.execute(self._take_turn).scalar():
                return 0
            rows = conn.execute(self._pending).all()
            if not rows:
                return 0
            # Raises before anything is marked: the transaction rolls back and every row
            # of the batch is offered again. Consumers de-duplicate the re-sent ones.
            if tracing.enabled():
                self._publish_traced(rows)
            else:
                self.publisher.publish_batch(
                    [OutgoingMessage(row.routing_key, row.body, row.event_id) for row in rows]
                )
            conn.execute(self._mark_published, {"ids": [row.id for row in rows], "now": utcnow()})
            # An erasure's event, once published, takes with it the published rows naming its
            # subject, itself included: rows still unpublished when the erasure committed (those
            # of the subject come before its event, in id order) are published by now.
            for subject_id in _erased_subjects(rows):
                outbox.drop_published_naming(conn, self.table, subject_id)
        metrics.RELAY_BATCHES.labels(self.service).inc()
        metrics.RELAY_PUBLISHED.labels(self.service).inc(len(rows))
        return len(rows)

    def _publish_traced(self, rows: list) -> None:  # type: ignore[type-arg]
        """Publish with a producer span per event, child of the span that wrote its outbox row
        (the envelope's `traceparent`); its own context travels in the AMQP headers."""
        tracer = tracing.tracer()
        spans, messages = [], []
        for row in rows:
            parent = tracing.extract({"traceparent": _traceparent_of(row.body)})
            span = tracer.start_span(f"publish {row.routing_key}", context=parent, kind=tracing.SpanKind.PRODUCER,
                                     attributes={"messaging.system": "rabbitmq", "messaging.operation.type": "publish",
                                                 "messaging.destination.name": "crm.events",
                                                 "messaging.rabbitmq.destination.routing_key": row.routing_key,
                                                 "messaging.message.id": row.event_id, "crm.service": self.service})
            spans.append(span)
            headers = tracing.inject({}, tracing.trace.set_span_in_context(span))
            messages.append(OutgoingMessage(row.routing_key, row.body, row.event_id, headers))
        try:
            self.publisher.publish_batch(messages)
        except Exception as exc:
            for span in spans:
                span.record_exception(exc)
                span.set_status(tracing.Status(tracing.StatusCode.ERROR, str(exc)))
            raise
        finally:
            for span in spans:
                span.end()

    def backlog(self) -> tuple[int, float]:
        """Return how many rows wait to be published and the age in seconds of the oldest."""
        with self.engine.connect() as conn:
            count, oldest = conn.execute(
                sa.select(sa.func.count(), sa.func.min(self.table.c.created_at))
                .where(self.table.c.published_at.is_(None))
            ).one()
        if not count or oldest is None:
            return 0, 0.0
        if oldest.tzinfo is None:  # SQLite hands the stored UTC time back without its zone
            oldest = oldest.replace(tzinfo=utcnow().tzinfo)
        return int(count), max(0.0, (utcnow() - oldest).total_seconds())

    def purge_published(self) -> int:
        """Delete rows published longer ago than the retention period."""
        with self.engine.begin() as conn:
            result = conn.execute(
                self.table.delete().where(self.table.c.published_at < utcnow() - self.retention)
            )
        return result.rowcount or 0

    def run(self, wakeup: Wakeup, stop: threading.Event, *, purge_every: float = 300.0) -> None:
        """Publish until `stop` is set, sleeping on `wakeup` while there is nothing to do."""
        backoff = 0.5
        next_purge = time.monotonic() + purge_every
        while not stop.is_set():
            try:
                published = self.publish_pending()
                backoff = 0.5
            except (PublishFailed, sa.exc.OperationalError, sa.exc.InterfaceError) as exc:
                metrics.RELAY_FAILED.labels(self.service).inc()
                log.warning("relay batch failed, retrying in %.1fs: %s", backoff, exc)
                stop.wait(backoff)
                backoff = min(backoff * 2, 10.0)
                continue
            if time.monotonic() >= next_purge:
                self.purge_published()
                next_purge = time.monotonic() + purge_every
            if published < self.batch_size:
                if not self.publisher.connected:
                    self._reconnect_idle()
                wakeup.wait()

    def _reconnect_idle(self) -> None:
        """Hold a broker connection while idle too, so that readiness says whether the broker is reachable."""
        try:
            self.publisher.connect()
        except PublishFailed as exc:
            log.warning("the broker is unreachable: %s", exc)


def _traceparent_of(body: str) -> str:
    """Return the envelope's `traceparent` ("" when the event carries none or is not JSON)."""
    if '"traceparent"' not in body:
        return ""
    try:
        value = json.loads(body).get("traceparent")
    except (ValueError, AttributeError):
        return ""
    return value if isinstance(value, str) else ""


def _erased_subjects(rows: list) -> list[str]:  # type: ignore[type-arg]
    """Return the subjects of the erasure events (`crm.<type>.anonymized`) among published rows."""
    subjects = []
    for row in rows:
        if is_erasure(row.routing_key):
            try:
                subject = json.loads(row.body).get("subject")
            except (ValueError, AttributeError):
                continue
            if isinstance(subject, str) and subject:
                subjects.append(subject)
    return subjects
