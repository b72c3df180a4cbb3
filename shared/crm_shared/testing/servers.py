"""Real PostgreSQL and RabbitMQ for tests: a database and a vhost of their own per run.

Servers are found through CRM_TEST_POSTGRES_URL / CRM_TEST_AMQP_URL or the default local
ports. Under CI (CI=true) an unreachable server fails the run; elsewhere the tests that
need it are skipped and the embedded mode still runs.
"""
from __future__ import annotations

import os
import socket
import subprocess
import uuid
from urllib.parse import urlsplit

import pytest

POSTGRES_URL = os.environ.get("CRM_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
AMQP_URL = os.environ.get("CRM_TEST_AMQP_URL", "amqp://guest:guest@127.0.0.1:5672/")
RUN_ID = uuid.uuid4().hex[:8]


def under_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


def reachable(url: str) -> bool:
    parts = urlsplit(url.replace("postgresql+psycopg", "postgresql"))
    try:
        with socket.create_connection((parts.hostname or "127.0.0.1", parts.port or 0), timeout=2):
            return True
    except OSError:
        return False


def require(url: str, what: str) -> None:
    """Skip (or, under CI, fail) when a server is not reachable."""
    if reachable(url):
        return
    message = f"{what} is not reachable at {url}"
    if under_ci():
        pytest.fail(message + " (CI must run the real-server tests)")
    pytest.skip(message)


def database_url(name: str) -> str:
    """Return the URL of a per-run database (created on first use by the services)."""
    base = POSTGRES_URL.rsplit("/", 1)[0]
    return f"{base}/crm_t{RUN_ID}_{name}"


def amqp_vhost_url(vhost: str) -> str:
    """Return the broker URL of a vhost."""
    return AMQP_URL.rstrip("/") + "/" + vhost


def rabbitmqctl(*args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    """Run rabbitmqctl (local broker administration for vhosts and fault injection)."""
    return subprocess.run(["rabbitmqctl", *args], capture_output=True, text=True, timeout=60, check=check)


def create_vhost(name: str) -> None:
    rabbitmqctl("add_vhost", name)
    user = urlsplit(AMQP_URL).username or "guest"
    rabbitmqctl("set_permissions", "-p", name, user, ".*", ".*", ".*")


def delete_vhost(name: str) -> None:
    rabbitmqctl("delete_vhost", name, check=False)


def queue_length(vhost: str, queue: str) -> int:
    """Return the number of ready plus unacknowledged messages in a queue."""
    out = rabbitmqctl("list_queues", "-p", vhost, "--quiet", "--no-table-headers",
                      "name", "messages").stdout
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 2 and parts[0] == queue:
            return int(parts[1])
    return 0
