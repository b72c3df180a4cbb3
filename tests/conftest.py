"""Suites for the end-to-end tests: embedded (SQLite + file transport) and distributed (PostgreSQL + RabbitMQ)."""
from __future__ import annotations

from typing import Iterator

import pytest

from crm_shared.testing import servers
from crm_shared.testing.fake_ares import FakeAres
from crm_suite.testing import RunningSuite


@pytest.fixture(scope="session")
def fake_ares() -> Iterator[FakeAres]:
    """The local business register every suite of the run asks (CRM_ARES_URL) instead of the real ARES."""
    with FakeAres() as fake:
        yield fake


def _running(
    tmp_path_factory: pytest.TempPathFactory, fake_ares: FakeAres, *, distributed: bool
) -> Iterator[RunningSuite]:
    if distributed:
        servers.require(servers.POSTGRES_URL, "PostgreSQL")
        servers.require(servers.AMQP_URL, "RabbitMQ")
    suite = RunningSuite(tmp_path_factory.mktemp("distributed" if distributed else "embedded"), distributed=distributed,
                         extra_env={"CRM_ARES_URL": fake_ares.url})
    try:
        suite.start()
        yield suite
    finally:
        suite.stop()  # also after a failed start: its processes, databases and vhost go too


@pytest.fixture(scope="session")
def embedded_suite(tmp_path_factory: pytest.TempPathFactory, fake_ares: FakeAres) -> Iterator[RunningSuite]:
    yield from _running(tmp_path_factory, fake_ares, distributed=False)


@pytest.fixture(scope="session")
def distributed_suite(tmp_path_factory: pytest.TempPathFactory, fake_ares: FakeAres) -> Iterator[RunningSuite]:
    yield from _running(tmp_path_factory, fake_ares, distributed=True)


@pytest.fixture(params=["embedded", "distributed"])
def suite(request: pytest.FixtureRequest) -> RunningSuite:
    """Run a test once on each way of running the suite."""
    return request.getfixturevalue(f"{request.param}_suite")


@pytest.fixture
def fresh_distributed_suite(
    tmp_path_factory: pytest.TempPathFactory, fake_ares: FakeAres
) -> Iterator[RunningSuite]:
    """A distributed suite of the test's own, for tests that break things."""
    yield from _running(tmp_path_factory, fake_ares, distributed=True)

