"""Consumer queues are quorum queues: replicated on a cluster, and a message that keeps coming back is dead-lettered."""
from __future__ import annotations

from urllib.parse import unquote, urlsplit

import pytest
from kombu import Connection, Consumer, Producer

from crm_shared.declaration import DELIVERY_LIMIT
from crm_shared.testing import servers
from crm_shared.testing.fixtures import wait_until
from crm_shared.topology import AUDIT, declare_all, events_exchange

pytestmark = pytest.mark.integration


def _vhost(amqp_url: str) -> str:
    return unquote(urlsplit(amqp_url).path[1:])


def _queue_types(vhost: str) -> dict[str, str]:
    out = servers.rabbitmqctl("list_queues", "-p", vhost, "--quiet", "--no-table-headers", "name", "type").stdout
    return dict(line.split()[:2] for line in out.splitlines() if len(line.split()) >= 2)


def test_the_topology_declares_quorum_queues_and_their_dead_letter_queues(amqp_url: str) -> None:
    with Connection(amqp_url) as connection:
        declare_all(connection.default_channel)
        declare_all(connection.default_channel)  # again: the same arguments are accepted

    types = _queue_types(_vhost(amqp_url))

    assert types["audit"] == "quorum"
    assert types["audit.dead"] == "quorum"


def test_a_message_delivered_past_the_limit_is_dead_lettered_by_the_broker(amqp_url: str) -> None:
    deliveries: list[int] = []
    with Connection(amqp_url) as connection:
        channel = connection.default_channel
        declare_all(channel)
        Producer(channel).publish(b'{"id": "again"}', exchange=events_exchange, routing_key="crm.person.updated",
                                  content_type="application/json", content_encoding="binary")

        def give_back(_body: object, message) -> None:  # type: ignore[no-untyped-def]
            # what a consumer that dies on this message amounts to: it comes back every time
            deliveries.append(1)
            message.requeue()

        dead = AUDIT.dead_letter_queue()(connection.channel())
        with Consumer(channel, queues=[AUDIT.queue()], callbacks=[give_back], prefetch_count=1):
            # the dead letters counted over AMQP (a passive declare): rabbitmqctl starts a VM per look, slower
            # than the broker's 21 deliveries on a busy machine
            wait_until(lambda: _drain(connection) or dead.queue_declare(passive=True).message_count == 1,
                       timeout=30)

    assert len(deliveries) == DELIVERY_LIMIT + 1
    assert servers.queue_length(_vhost(amqp_url), "audit") == 0


def _drain(connection: Connection) -> None:
    try:
        connection.drain_events(timeout=0.2)
    except TimeoutError:
        pass
