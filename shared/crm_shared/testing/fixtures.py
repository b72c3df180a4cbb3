"""pytest fixtures for real servers; the root conftest.py exposes them to every test."""
from __future__ import annotations

import uuid
from typing import Callable, Iterator

import pytest

from crm_shared import db
from crm_shared.testing import servers


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A fresh, empty PostgreSQL database for one test, dropped afterwards."""
    yield from _fresh_database()


@pytest.fixture(scope="module")
def postgres_module_url() -> Iterator[str]:
    """A fresh, empty PostgreSQL database shared by one module's tests (for data costly to build)."""
    yield from _fresh_database()


def _fresh_database() -> Iterator[str]:
    servers.require(servers.POSTGRES_URL, "PostgreSQL")
    url = servers.database_url(uuid.uuid4().hex[:8])
    db.ensure_database(url)
    yield url
    db.drop_database(url)


@pytest.fixture
def amqp_url() -> Iterator[str]:
    """A fresh RabbitMQ vhost for one test, deleted afterwards."""
    servers.require(servers.AMQP_URL, "RabbitMQ")
    vhost = f"crm-test-{servers.RUN_ID}-{uuid.uuid4().hex[:6]}"
    servers.create_vhost(vhost)
    yield servers.amqp_vhost_url(vhost)
    servers.delete_vhost(vhost)


@pytest.fixture
def sqlite_url(tmp_path) -> str:  # type: ignore[no-untyped-def]
    """A SQLite database file in the test's temporary folder."""
    return f"sqlite:///{tmp_path}/test.sqlite3"


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.integration)])
def any_database_url(request) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """Run a test once on SQLite and once on PostgreSQL."""
    if request.param == "sqlite":
        yield request.getfixturevalue("sqlite_url")
    else:
        yield request.getfixturevalue("postgres_url")


def wait_until(predicate: Callable[[], object], *, timeout: float = 10.0, interval: float = 0.05) -> object:
    """Poll until `predicate` returns something truthy; fail with a clear message at the deadline."""
    import time

    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() >= deadline:
            raise AssertionError(f"condition not met within {timeout}s")
        time.sleep(interval)
