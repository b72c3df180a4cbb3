"""Fixtures of the counters' unit tests: a fake unit of work and a way to feed it events."""
from __future__ import annotations

from typing import Callable

import pytest

from crm_shared.envelope import CloudEvent
from crm_shared.testing.fakes import FakeUnitOfWork

from crm_counters.service_layer.record_events import handle_events

from .counters_fakes import counters_uow

Feed = Callable[..., None]


@pytest.fixture
def uow() -> FakeUnitOfWork:
    return counters_uow()


@pytest.fixture
def feed(uow: FakeUnitOfWork) -> Feed:
    def handle(*events: CloudEvent) -> None:
        handle_events(uow, list(events))  # type: ignore[arg-type]
    return handle
