"""The bus topology, declared identically by every publisher and consumer.

Every process declares all of it: on RabbitMQ declaring is idempotent, and kombu's
embedded file transport routes by the bindings it has been told about, so a publisher
must know every consumer's queue.
"""
from __future__ import annotations

from dataclasses import dataclass

from kombu import Exchange, Queue

EXCHANGE_NAME = "crm.events"

events_exchange = Exchange(EXCHANGE_NAME, type="topic", durable=True)
#: dead letters travel through the default exchange, routed by queue name
default_exchange = Exchange("", type="direct", durable=True)


@dataclass(frozen=True)
class ConsumerQueue:
    """A consumer's durable queue, the event types it binds, and its dead-letter queue."""

    name: str
    bindings: tuple[str, ...]

    @property
    def dead_letter_name(self) -> str:
        """Return the name of the dead-letter queue, `<name>.dead`."""
        return f"{self.name}.dead"

    def queue(self) -> Queue:
        """Return the kombu queue, with broker-side dead-lettering for rejected messages."""
        return Queue(
            self.name,
            exchange=events_exchange,
            bindings=[_binding(key) for key in self.bindings],
            durable=True,
            queue_arguments={
                "x-dead-letter-exchange": "",
                "x-dead-letter-routing-key": self.dead_letter_name,
            },
        )

    def dead_letter_queue(self) -> Queue:
        """Return the kombu dead-letter queue."""
        return Queue(self.dead_letter_name, exchange=default_exchange, routing_key=self.dead_letter_name, durable=True)


def _binding(routing_key: str):  # type: ignore[no-untyped-def]
    from kombu import binding

    return binding(events_exchange, routing_key=routing_key)


AUDIT = ConsumerQueue("audit", ("crm.#",))
COUNTERS = ConsumerQueue("counters", ("crm.task.#", "crm.interaction.#", "crm.comment.#"))
CONTACTS = ConsumerQueue("contacts", ("crm.deal.#", "crm.task.#", "crm.interaction.#"))
DEALS = ConsumerQueue("deals", ("crm.person.#", "crm.company.#"))
INTERACTIONS = ConsumerQueue(
    "interactions", ("crm.person.#", "crm.company.#", "crm.deal.#", "crm.task.#", "crm.group.#")
)

#: the consumers that exist in this version of the suite
CONSUMERS: dict[str, ConsumerQueue] = {queue.name: queue for queue in (AUDIT, CONTACTS, DEALS)}


def all_queues() -> list[Queue]:
    """Return every queue of the suite with its dead-letter queue."""
    queues: list[Queue] = []
    for consumer in CONSUMERS.values():
        queues.append(consumer.queue())
        queues.append(consumer.dead_letter_queue())
    return queues


def declare_all(channel) -> None:  # type: ignore[no-untyped-def]
    """Declare the exchange and every queue and binding on a channel."""
    events_exchange(channel).declare()
    for queue in all_queues():
        queue(channel).declare()
