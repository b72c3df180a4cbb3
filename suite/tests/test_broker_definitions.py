"""deploy/rabbitmq/definitions.json is the code's topology: the exchange, quorum queues, bindings, dead letters."""
from __future__ import annotations

import json
import subprocess
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest
from kombu import Connection

from crm_shared.testing import servers
from crm_shared.testing.fixtures import wait_until
from crm_shared.topology import EXCHANGE_NAME, consumers, declare_all, events_exchange
from crm_suite.deploy.tools import ROOT


def _definitions() -> dict[str, Any]:
    return json.loads((ROOT / "deploy/rabbitmq/definitions.json").read_text())


def test_the_definitions_hold_exactly_the_queues_bindings_and_exchange_the_code_declares() -> None:
    definitions = _definitions()
    queues = {queue["name"]: queue for queue in definitions["queues"]}
    expected_queues: dict[str, dict[str, Any]] = {}
    expected_bindings = set()
    for consumer in consumers().values():
        queue, dead = consumer.queue(), consumer.dead_letter_queue()
        expected_queues[queue.name] = queue.queue_arguments
        expected_queues[dead.name] = dead.queue_arguments
        expected_bindings |= {(EXCHANGE_NAME, queue.name, b.routing_key) for b in queue.bindings}

    assert {name: queue["arguments"] for name, queue in queues.items()} == expected_queues
    assert all(queue["durable"] and not queue["auto_delete"] for queue in queues.values())
    assert {(b["source"], b["destination"], b["routing_key"]) for b in definitions["bindings"]} == expected_bindings
    [exchange] = definitions["exchanges"]
    assert (exchange["name"], exchange["type"], exchange["durable"]) == (
        events_exchange.name, events_exchange.type, events_exchange.durable)


def test_every_consumer_queue_is_a_quorum_queue_dead_lettering_past_its_delivery_limit() -> None:
    queues = {queue["name"]: queue["arguments"] for queue in _definitions()["queues"]}
    for consumer in consumers().values():
        arguments = queues[consumer.name]
        assert arguments["x-queue-type"] == "quorum" and arguments["x-delivery-limit"] > 0
        assert (arguments["x-dead-letter-exchange"], arguments["x-dead-letter-routing-key"]) == ("", consumer.dead_letter_name)
        assert queues[consumer.dead_letter_name]["x-queue-type"] == "quorum"


def test_the_compose_definitions_are_the_same_topology_with_a_user() -> None:
    compose = json.loads((ROOT / "deploy/compose/definitions.json").read_text())

    assert {key: compose[key] for key in _definitions()} == _definitions()
    assert [user["name"] for user in compose["users"]] == ["crm"]


@pytest.mark.integration
def test_rabbitmq_loads_the_definitions_and_the_code_declares_its_topology_over_them(amqp_url: str) -> None:
    vhost = unquote(urlsplit(amqp_url).path[1:])
    text = json.dumps(_definitions()).replace('"vhost": "/"', json.dumps({"vhost": vhost})[1:-1])
    definitions = json.loads(text)
    definitions["vhosts"] = [{"name": vhost}]
    # on standard input: the broker's node reads a file as its own user, not as this test's
    imported = subprocess.run(["rabbitmqctl", "import_definitions"], input=json.dumps(definitions),
                              capture_output=True, text=True, timeout=60)
    assert imported.returncode == 0, imported.stdout + imported.stderr
    names = {queue["name"] for queue in _definitions()["queues"]}
    wait_until(lambda: set(_queue_types(vhost)) == names, timeout=30)  # the import finishes in the background

    with Connection(amqp_url) as connection:
        # a queue declared with other arguments than the loaded one is refused (PRECONDITION_FAILED)
        declare_all(connection.default_channel)

    assert _queue_types(vhost) == {name: "quorum" for name in names}


def _queue_types(vhost: str) -> dict[str, str]:
    listed = servers.rabbitmqctl("list_queues", "-p", vhost, "--quiet", "--no-table-headers", "name", "type").stdout
    return dict(line.split()[:2] for line in listed.splitlines() if len(line.split()) >= 2)
