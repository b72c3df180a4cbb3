"""The counters consumer on RabbitMQ: task, interaction and record events from the bus reach the counts,
exactly once however often they are delivered; a malformed one goes to the dead letters."""
from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Iterator

import pytest
import sqlalchemy as sa
from kombu import Connection

import crm_counters
from crm_shared.publisher import ConfirmingPublisher, OutgoingMessage
from crm_shared.testing.consumers import consuming
from crm_shared.testing.fixtures import wait_until
from crm_shared.types import utcnow

from crm_counters.consumer import build_consumer
from crm_counters.declaration import SERVICE
from crm_counters.service_layer.counting import live_counts
from crm_counters.service_layer.unit_of_work import CountersUnitOfWork

from ..unit.builders import entry_event, record_event, task_event

pytestmark = pytest.mark.integration
MIGRATIONS = str(Path(crm_counters.__file__).parent / "migrations")


@pytest.fixture
def running(amqp_url: str, postgres_url: str) -> Iterator[tuple[sa.Engine, ConfirmingPublisher, str]]:
    with consuming("counters", build_consumer, MIGRATIONS, amqp_url=amqp_url,
                   postgres_url=postgres_url) as (engine, publisher):
        yield engine, publisher, amqp_url


def message(event) -> OutgoingMessage:  # type: ignore[no-untyped-def]
    return OutgoingMessage(event.type, event.to_json(), event.id)


def counts(engine: sa.Engine, user: str) -> dict:
    return live_counts(CountersUnitOfWork(engine), user, utcnow())[0]


def test_events_from_the_bus_count_once_however_often_they_arrive(
        running: tuple[sa.Engine, ConfirmingPublisher, str]) -> None:
    engine, publisher, _ = running
    owner = record_event("person", "p1", "ann")
    call = entry_event("e1", contact=("person", "p1"))
    task = task_event("t1", responsible="bob", due=utcnow() - timedelta(minutes=5),
                      links=[{"type": "person", "id": "p1"}])
    publisher.publish_batch([message(e) for e in (owner, call, task, call, task, owner)])
    wait_until(lambda: (c := counts(engine, "ann"))["planned"] == 1 and c["incoming"] == 1, timeout=20)
    processed = entry_event("e1", "processed", 2, contact=("person", "p1"), processed=True)
    publisher.publish_batch([message(processed), message(call)])
    wait_until(lambda: counts(engine, "ann")["incoming"] == 0, timeout=20)
    assert counts(engine, "ann")["planned"] == 1


def test_a_task_event_without_a_task_goes_to_the_dead_letters_and_the_queue_keeps_flowing(
        running: tuple[sa.Engine, ConfirmingPublisher, str]) -> None:
    engine, publisher, amqp_url = running
    broken = task_event("t1")
    broken = type(broken)(**{**broken.__dict__, "data": {**broken.data, "state": {}}})
    publisher.publish_batch([message(broken), message(task_event("t2", responsible="cid", due=utcnow()))])
    wait_until(lambda: counts(engine, "cid")["planned"] == 1, timeout=20)
    with Connection(amqp_url) as conn:
        dead = wait_until(lambda: conn.SimpleQueue(SERVICE.queue.dead_letter_queue()).get(timeout=1), timeout=20)
        assert "names the task" in dead.headers["x-error"]  # type: ignore[union-attr]
