"""RabbitMQ definitions of the suite's topology, for loading at boot (`load_definitions`)."""
from __future__ import annotations

import base64
import hashlib
from typing import Any

from crm_shared.declaration import ConsumerQueue, ServiceDeclaration
from crm_shared.topology import EXCHANGE_NAME

VHOST = "/"


def definitions(services: list[ServiceDeclaration]) -> dict[str, Any]:
    """Return the exchange, every consumer's quorum queue with its bindings, and their dead-letter queues."""
    consumers = [service.queue for service in services if service.queue]
    queues: list[dict[str, Any]] = []
    bindings: list[dict[str, Any]] = []
    for consumer in consumers:
        queues.append(_queue(consumer.name, consumer.arguments))
        queues.append(_queue(consumer.dead_letter_name, dict(consumer.dead_letter_arguments)))
        bindings.extend(_binding(consumer, key) for key in consumer.bindings)
    return {
        "vhosts": [{"name": VHOST}],
        "exchanges": [{"name": EXCHANGE_NAME, "vhost": VHOST, "type": "topic", "durable": True,
                       "auto_delete": False, "internal": False, "arguments": {}}],
        "queues": queues,
        "bindings": bindings,
    }


def with_user(topology: dict[str, Any], user: str, password: str) -> dict[str, Any]:
    """Return the definitions with one administrator (a node importing definitions at boot makes no default user)."""
    return {
        "users": [{"name": user, "password_hash": password_hash(password, salt=b"crm!"),
                   "hashing_algorithm": "rabbit_password_hashing_sha256", "tags": ["administrator"]}],
        "permissions": [{"user": user, "vhost": VHOST, "configure": ".*", "write": ".*", "read": ".*"}],
        **topology,
    }


def password_hash(password: str, salt: bytes) -> str:
    """Return RabbitMQ's salted SHA-256 password hash (base64 of the 4-byte salt and the digest)."""
    digest = hashlib.sha256(salt + password.encode()).digest()
    return base64.b64encode(salt + digest).decode()


def _queue(name: str, arguments: dict[str, Any]) -> dict[str, Any]:
    return {"name": name, "vhost": VHOST, "durable": True, "auto_delete": False, "arguments": arguments}


def _binding(consumer: ConsumerQueue, key: str) -> dict[str, Any]:
    return {"source": EXCHANGE_NAME, "vhost": VHOST, "destination": consumer.name, "destination_type": "queue",
            "routing_key": key, "arguments": {}}
