"""Publishing to the bus with publisher confirms, a batch at a time."""
from __future__ import annotations

import logging
import socket
import time
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping, Sequence

from kombu import Connection, Producer

from crm_shared.envelope import CONTENT_TYPE
from crm_shared.topology import declare_all, events_exchange

log = logging.getLogger(__name__)


class PublishFailed(RuntimeError):
    """The broker did not confirm every message of a batch; none may be marked published."""


@dataclass(frozen=True)
class OutgoingMessage:
    """One event ready for the wire."""

    routing_key: str
    body: str
    event_id: str
    #: AMQP headers, e.g. the W3C `traceparent` of the publishing span
    headers: Mapping[str, Any] = field(default_factory=dict)


class ConfirmingPublisher:
    """Publish batches to the events exchange and return only when the broker confirmed all.

    Confirms are collected for the whole batch instead of waiting for each message: the
    broker acknowledges many deliveries at once (`multiple=True`), which is what makes
    confirmed publishing fast. The embedded transport has no confirms; its writes are
    synchronous, so a returned publish is a stored message.
    """

    def __init__(self, connection_factory: Callable[[], Connection], *, confirm_timeout: float = 10.0) -> None:
        self._connection_factory = connection_factory
        self._confirm_timeout = confirm_timeout
        self._connection: Connection | None = None
        self._producer: Producer | None = None
        self._confirms = False
        self._next_tag = 1
        self._pending: set[int] = set()
        self._nacked = False

    def publish_batch(self, messages: Sequence[OutgoingMessage]) -> None:
        """Publish all messages; raise PublishFailed unless every one is confirmed."""
        if not messages:
            return
        try:
            producer = self._ensure_producer()
            self._pending.clear()
            self._nacked = False
            for message in messages:
                self._publish(producer, message)
            self._await_confirms()
        except PublishFailed:
            self.close()
            raise
        except Exception as exc:  # connection errors of either transport, socket timeouts
            self.close()
            raise PublishFailed(f"publish failed: {exc!r}") from exc

    def _publish(self, producer: Producer, message: OutgoingMessage) -> None:
        producer.publish(
            message.body,
            exchange=events_exchange,
            routing_key=message.routing_key,
            content_type=CONTENT_TYPE,
            content_encoding="utf-8",
            delivery_mode=2,
            message_id=message.event_id or None,
            headers=dict(message.headers) if message.headers else None,
            retry=False,
        )
        if self._confirms:
            self._pending.add(self._next_tag)
            self._next_tag += 1

    def _await_confirms(self) -> None:
        if not self._confirms:
            return
        assert self._connection is not None
        deadline = time.monotonic() + self._confirm_timeout
        while self._pending and not self._nacked:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise PublishFailed(f"{len(self._pending)} messages unconfirmed after {self._confirm_timeout}s")
            try:
                self._connection.drain_events(timeout=min(remaining, 1.0))
            except socket.timeout:
                continue
        if self._nacked:
            raise PublishFailed("the broker refused (nacked) a message of the batch")

    def _on_ack(self, delivery_tag: int, multiple: bool) -> None:
        if multiple:
            self._pending = {tag for tag in self._pending if tag > delivery_tag}
        else:
            self._pending.discard(delivery_tag)

    def _on_nack(self, delivery_tag: int, multiple: bool) -> None:
        self._nacked = True

    @property
    def connected(self) -> bool:
        """Tell whether the publisher holds a broker connection (its last publish or connect worked)."""
        return self._producer is not None

    def connect(self) -> None:
        """Connect now rather than at the first batch; raise PublishFailed if the broker is unreachable."""
        try:
            self._ensure_producer()
        except Exception as exc:
            self.close()
            raise PublishFailed(f"cannot reach the broker: {exc!r}") from exc

    def _ensure_producer(self) -> Producer:
        if self._producer is not None:
            return self._producer
        connection = self._connection_factory()
        connection.connect()
        channel = connection.channel()
        declare_all(channel)
        self._confirms = connection.transport.driver_type == "amqp"
        if self._confirms:
            channel.confirm_select()
            channel.events["basic_ack"].add(self._on_ack)
            channel.events["basic_nack"].add(self._on_nack)
            self._next_tag = 1
        self._connection = connection
        self._producer = Producer(channel)
        log.info("publisher connected", extra={"transport": connection.transport.driver_type})
        return self._producer

    def close(self) -> None:
        """Drop the connection; the next batch opens a new one."""
        connection, self._connection, self._producer = self._connection, None, None
        if connection is not None:
            try:
                connection.release()
            except Exception:  # the connection is already broken; nothing to release cleanly
                log.debug("error while closing a broken connection", exc_info=True)
