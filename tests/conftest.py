"""Suites for the end-to-end tests: embedded (SQLite + file transport) and distributed (PostgreSQL + RabbitMQ)."""
from __future__ import annotations

from typing import Iterator

import pytest

from crm_shared.testing import servers
from crm_suite.testing import RunningSuite


def _running(tmp_path_factory: pytest.TempPathFactory, *, distributed: bool) -> Iterator[RunningSuite]:
    if distributed:
        servers.require(servers.POSTGRES_URL, "PostgreSQL")
        servers.require(servers.AMQP_URL, "RabbitMQ")
    suite = RunningSuite(tmp_path_factory.mktemp("distributed" if distributed else "embedded"), distributed=distributed)
    suite.start()
    yield suite
    suite.stop()


@pytest.fixture(scope="session")
def embedded_suite(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningSuite]:
    yield from _running(tmp_path_factory, distributed=False)


@pytest.fixture(scope="session")
def distributed_suite(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningSuite]:
    yield from _running(tmp_path_factory, distributed=True)


@pytest.fixture(params=["embedded", "distributed"])
def suite(request: pytest.FixtureRequest) -> RunningSuite:
    """Run a test once on each way of running the suite."""
    return request.getfixturevalue(f"{request.param}_suite")


@pytest.fixture
def fresh_distributed_suite(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningSuite]:
    """A distributed suite of the test's own, for tests that break things."""
    yield from _running(tmp_path_factory, distributed=True)
