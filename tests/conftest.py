"""Suites for the end-to-end tests: embedded (SQLite + file transport) and distributed (PostgreSQL + RabbitMQ).

One suite of each kind serves the whole run: starting one costs half a minute. The distributed one
exports its traces to a local collector, so the observability tests read them there. Tests marked
`backlog` leave every consumer thousands of events: they run after all the others.
"""
from __future__ import annotations

from typing import Iterator

import pytest

from crm_shared.testing import servers
from crm_shared.testing.fake_ares import FakeAres
from crm_shared.testing.otlp import FakeCollector
from crm_suite.testing import RunningSuite


@pytest.fixture(scope="session")
def fake_ares() -> Iterator[FakeAres]:
    """The local business register every suite of the run asks (CRM_ARES_URL) instead of the real ARES."""
    with FakeAres() as fake:
        yield fake


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Move the tests marked `backlog` to the end of the run, in their order."""
    items.sort(key=lambda item: item.get_closest_marker("backlog") is not None)


@pytest.fixture(scope="session")
def collector() -> Iterator[FakeCollector]:
    """The OTLP collector the distributed suite exports its spans to."""
    with FakeCollector() as fake:
        yield fake


def _running(
    tmp_path_factory: pytest.TempPathFactory, fake_ares: FakeAres, *, distributed: bool,
    env: dict[str, str] | None = None,
) -> Iterator[RunningSuite]:
    if distributed:
        servers.require(servers.POSTGRES_URL, "PostgreSQL")
        servers.require(servers.AMQP_URL, "RabbitMQ")
    suite = RunningSuite(tmp_path_factory.mktemp("distributed" if distributed else "embedded"), distributed=distributed,
                         extra_env={"CRM_ARES_URL": fake_ares.url, **(env or {})})
    try:
        suite.start()
        yield suite
    finally:
        suite.stop()  # also after a failed start: its processes, databases and vhost go too


@pytest.fixture(scope="session")
def embedded_suite(tmp_path_factory: pytest.TempPathFactory, fake_ares: FakeAres) -> Iterator[RunningSuite]:
    yield from _running(tmp_path_factory, fake_ares, distributed=False)


@pytest.fixture(scope="session")
def distributed_suite(tmp_path_factory: pytest.TempPathFactory, fake_ares: FakeAres,
                      collector: FakeCollector) -> Iterator[RunningSuite]:
    yield from _running(tmp_path_factory, fake_ares, distributed=True, env=collector.environ())


@pytest.fixture(params=["embedded", "distributed"])
def suite(request: pytest.FixtureRequest) -> RunningSuite:
    """Run a test once on each way of running the suite."""
    return request.getfixturevalue(f"{request.param}_suite")
