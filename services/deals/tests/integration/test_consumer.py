"""The deals consumer on RabbitMQ: contact and task template events from the bus reach the copies, links, processes."""
from __future__ import annotations

import uuid
from dataclasses import replace
from pathlib import Path
from typing import Iterator

import pytest
import sqlalchemy as sa

from crm_shared.publisher import ConfirmingPublisher, OutgoingMessage
from crm_shared.testing.consumers import consuming
from crm_shared.testing.fixtures import wait_until

import crm_deals
from crm_deals.consumer import build_consumer
from crm_deals.adapters.processes import ProcessRepository
from crm_deals.domain.links import Link

from .contact_events import contact_event
from .test_post_sale_templates import template_event
from .test_contact_events import add_deal, links_of, outbox

pytestmark = pytest.mark.integration
MIGRATIONS = str(Path(crm_deals.__file__).parent / "migrations")


@pytest.fixture
def running(amqp_url: str, postgres_url: str) -> Iterator[tuple[sa.Engine, ConfirmingPublisher]]:
    with consuming("deals", build_consumer, MIGRATIONS, amqp_url=amqp_url, postgres_url=postgres_url) as started:
        yield started


def message(event) -> OutgoingMessage:  # type: ignore[no-untyped-def]
    return OutgoingMessage(event.type, event.to_json(), event.id)


def test_merge_and_delete_events_from_the_bus_move_and_remove_links_once(
    running: tuple[sa.Engine, ConfirmingPublisher],
) -> None:
    engine, publisher = running
    source, target, gone = (str(uuid.uuid4()) for _ in range(3))
    deal = add_deal(engine, Link("person", source), Link("person", gone))
    merged = contact_event("person", target, "merged", 2, "Jan Pravý", merged_from=[source])
    deleted = contact_event("person", gone, "deleted", 3)
    publisher.publish_batch([message(merged), message(deleted), message(merged)])
    wait_until(lambda: [link["id"] for link in links_of(engine, deal)] == [target], timeout=20)
    wait_until(lambda: len(outbox(engine)) == 2, timeout=5)
    # the move acts for whoever merged (an automation); the dropped link is the system's
    assert [(e["actorname"], e["actorchannel"]) for e in outbox(engine)] == [("U", "automation"), ("system", "system")]


def test_template_events_from_the_bus_fill_the_copy_and_a_deletion_clears_the_processes_naming_it(
    running: tuple[sa.Engine, ConfirmingPublisher],
) -> None:
    engine, publisher = running
    template = str(uuid.uuid4())
    with engine.begin() as connection:
        process = ProcessRepository(connection).default()
        assert process is not None
        ProcessRepository(connection).save(replace(process, won_task_template_id=template))
    created = template_event(template, "created", 1, "Onboarding")
    deleted = template_event(template, "deleted", 2, "Onboarding")
    publisher.publish_batch([message(created), message(deleted), message(deleted)])
    wait_until(lambda: len(outbox(engine)) == 1, timeout=20)
    [event] = outbox(engine)
    assert (event["type"], event["actorid"], event["subject"]) == ("crm.process.updated", "system", process.id)
    assert event["data"]["changes"] == [
        {"field": "won_task_template", "before": {"id": template, "name": "Onboarding"}, "after": None}]
    with engine.connect() as connection:
        assert ProcessRepository(connection).get(process.id).won_task_template_id is None  # type: ignore[union-attr]
