"""Event rates, and how deep a queue is."""
from __future__ import annotations

from dataclasses import dataclass

from kombu import Connection


@dataclass(frozen=True)
class Rate:
    """Events handled in a number of seconds."""

    events: int
    seconds: float

    @property
    def per_second(self) -> float:
        """Return events per second."""
        return self.events / self.seconds if self.seconds > 0 else 0.0


def queue_depth(broker_url: str, queue: str) -> int:
    """Return the number of ready messages in a queue (a passive declare: nothing is created)."""
    with Connection(broker_url) as connection:
        _name, messages, _consumers = connection.default_channel.queue_declare(queue=queue, passive=True)
        return int(messages)
