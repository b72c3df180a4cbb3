"""The embedded file transport under concurrent publishers: nothing half-read, nothing lost, order kept."""
from __future__ import annotations

import socket
import threading
from pathlib import Path

from kombu import Consumer, Producer

from crm_shared import bus
from crm_shared.config import Settings
from crm_shared.topology import AUDIT, declare_all, events_exchange

PUBLISHERS = 3
EACH = 600


def publish(settings: Settings, publisher: int) -> None:
    with bus.connect(settings) as connection:
        channel = connection.channel()
        declare_all(channel)
        producer = Producer(channel)
        for n in range(EACH):
            producer.publish({"publisher": publisher, "n": n, "pad": "x" * 4000},
                             exchange=events_exchange, routing_key="crm.person.updated")


def test_concurrent_publishers_lose_nothing_and_keep_their_order(tmp_path: Path) -> None:
    settings = Settings.from_env("test", {"CRM_DATA_DIR": str(tmp_path), "CRM_BROKER_POLLING_INTERVAL": "0.001"})
    received: list[dict] = []
    errors: list[str] = []

    def consume() -> None:
        with bus.connect(settings) as connection:
            channel = connection.channel()
            declare_all(channel)
            with Consumer(channel, queues=[AUDIT.queue()], prefetch_count=100,
                          on_message=lambda m: (received.append(m.decode()), m.ack())):
                idle = 0
                while idle < 20:
                    try:
                        connection.drain_events(timeout=0.1)
                        idle = 0
                    except socket.timeout:
                        idle += 1
                    except Exception as exc:  # a half-written file would surface here
                        errors.append(repr(exc))

    consumer = threading.Thread(target=consume)
    consumer.start()
    def publish_reporting(publisher: int) -> None:
        try:
            publish(settings, publisher)
        except Exception as exc:  # a publisher that dies would otherwise only show as missing messages
            errors.append(repr(exc))

    publishers = [threading.Thread(target=publish_reporting, args=(k,)) for k in range(PUBLISHERS)]
    for thread in publishers:
        thread.start()
    for thread in publishers:
        thread.join()
    consumer.join(60)

    assert errors == []
    assert len(received) == PUBLISHERS * EACH
    for k in range(PUBLISHERS):
        assert [m["n"] for m in received if m["publisher"] == k] == list(range(EACH))
