"""The outbox relay: moves committed events from a service's outbox to the bus."""
from __future__ import annotations

import logging
import threading
import time
import zlib
from datetime import timedelta

import sqlalchemy as sa
from sqlalchemy.engine import Engine

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
            self.publisher.publish_batch(
                [OutgoingMessage(row.routing_key, row.body, row.event_id) for row in rows]
            )
            conn.execute(self._mark_published, {"ids": [row.id for row in rows], "now": utcnow()})
        return len(rows)

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
                log.warning("relay batch failed, retrying in %.1fs: %s", backoff, exc)
                stop.wait(backoff)
                backoff = min(backoff * 2, 10.0)
                continue
            if time.monotonic() >= next_purge:
                self.purge_published()
                next_purge = time.monotonic() + purge_every
            if published < self.batch_size:
                wakeup.wait()
