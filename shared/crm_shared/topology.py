"""The bus topology, declared identically by every publisher and consumer.

Every process declares all of it: on RabbitMQ declaring is idempotent, and kombu's
embedded file transport routes by the bindings it has been told about, so a publisher
must know every consumer's queue.
"""
from __future__ import annotations

from kombu import Exchange, Queue

from crm_shared.declaration import ConsumerQueue, installed

EXCHANGE_NAME = "crm.events"

events_exchange = Exchange(EXCHANGE_NAME, type="topic", durable=True)
#: dead letters travel through the default exchange, routed by queue name
default_exchange = Exchange("", type="direct", durable=True)


#: the queue every change event reaches (the audit log's); tests of the shared library use it
AUDIT = ConsumerQueue("audit", ("crm.#",))

__all__ = ["AUDIT", "ConsumerQueue", "consumers", "all_queues", "declare_all", "events_exchange", "default_exchange"]


def consumers() -> dict[str, ConsumerQueue]:
    """Return the queues of the installed services' consumers, by name (from their declarations)."""
    return {declaration.queue.name: declaration.queue for declaration in installed() if declaration.queue}


def all_queues() -> list[Queue]:
    """Return every queue of the suite with its dead-letter queue."""
    queues: list[Queue] = []
    for consumer in consumers().values():
        queues.append(consumer.queue())
        queues.append(consumer.dead_letter_queue())
    return queues


def declare_all(channel) -> None:  # type: ignore[no-untyped-def]
    """Declare the exchange and every queue and binding on a channel."""
    events_exchange(channel).declare()
    for queue in all_queues():
        queue(channel).declare()
