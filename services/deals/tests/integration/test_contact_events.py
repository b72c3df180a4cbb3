"""Contact events keep the deals' copy of contacts and move or remove links, each an audited system change."""
from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any, Iterator

import pytest
import sqlalchemy as sa

from crm_shared.testing.templates import migrated_engine
from crm_shared.types import utcnow

import crm_deals
from crm_deals.adapters.processes import ProcessRepository
from crm_deals.adapters.repository import DealRepository
from crm_deals.domain.deals import new_deal
from crm_deals.domain.links import Link
from crm_deals.service_layer.incoming import handle_events
from crm_deals.service_layer.unit_of_work import DealsUnitOfWork

from .contact_events import contact_event

MIGRATIONS = str(Path(crm_deals.__file__).parent / "migrations")


@pytest.fixture
def engine(any_database_url: str) -> Iterator[sa.Engine]:
    with migrated_engine(any_database_url, MIGRATIONS, "deals") as engine:
        yield engine


def add_deal(engine: sa.Engine, *links: Link) -> str:
    with engine.begin() as connection:
        process = ProcessRepository(connection).default()
        assert process is not None
        deal = new_deal({"name": "D"}, id=str(uuid.uuid4()), process=process, sources=set(), links=list(links),
                        actor_id="u", now=utcnow())
        DealRepository(connection).add(deal)
    return deal.id


def handle(engine: sa.Engine, *events: Any) -> None:
    with engine.begin() as connection:
        handle_events(DealsUnitOfWork(connection=connection), list(events))


def links_of(engine: sa.Engine, deal_id: str) -> list[dict[str, Any]]:
    with engine.connect() as connection:
        deal = DealRepository(connection).get(deal_id)
        assert deal is not None
        return [link.as_dict() for link in deal.links]


def outbox(engine: sa.Engine) -> list[dict[str, Any]]:
    with engine.connect() as connection:
        return [json.loads(body) for body in connection.execute(sa.text("SELECT body FROM outbox ORDER BY id")).scalars()]


def test_a_pending_link_gets_its_name_when_the_contact_event_arrives(engine: sa.Engine) -> None:
    person = str(uuid.uuid4())
    deal = add_deal(engine, Link("person", person))
    handle(engine, contact_event("person", person, "created", 1, "Jana Nováková"))
    assert links_of(engine, deal) == [{"type": "person", "id": person, "name": "Jana Nováková"}]
    handle(engine, contact_event("person", person, "updated", 3, "Jana Malá"),
           contact_event("person", person, "updated", 2, "Stale Name"))
    assert links_of(engine, deal)[0]["name"] == "Jana Malá"
    assert outbox(engine) == []


def test_a_merge_moves_the_link_to_the_survivor_as_an_automation_for_the_merging_user(engine: sa.Engine) -> None:
    source, target, company = (str(uuid.uuid4()) for _ in range(3))
    deal = add_deal(engine, Link("person", source), Link("company", company))
    handle(engine, contact_event("person", source, "created", 1, "Jan Dvojník"),
           contact_event("person", target, "created", 1, "Jan Pravý"))
    handle(engine, contact_event("person", target, "merged", 2, "Jan Pravý", merged_from=[source]),
           contact_event("person", source, "deleted", 2, "Jan Dvojník", merged_into=target))
    assert [link["id"] for link in links_of(engine, deal)] == [target, company]
    [event] = outbox(engine)
    assert (event["actorid"], event["actorchannel"], event["type"]) == ("u", "automation", "crm.deal.updated")
    assert event["data"]["changes"] == [
        {"field": "links", "before": {"type": "person", "id": source, "name": "Jan Dvojník"}, "after": None},
        {"field": "links", "before": None, "after": {"type": "person", "id": target, "name": "Jan Pravý"}},
    ]
    assert event["data"]["state"]["links"][0] == {"type": "person", "id": target, "name": "Jan Pravý"}


def test_a_deletion_announced_as_merged_into_moves_the_link_too(engine: sa.Engine) -> None:
    source, target = str(uuid.uuid4()), str(uuid.uuid4())
    deal = add_deal(engine, Link("person", source))
    handle(engine, contact_event("person", source, "deleted", 4, merged_into=target))
    assert [link["id"] for link in links_of(engine, deal)] == [target]


def test_a_deleted_contact_loses_its_links_and_cannot_be_linked_again(engine: sa.Engine) -> None:
    person = str(uuid.uuid4())
    deal = add_deal(engine, Link("person", person))
    handle(engine, contact_event("person", person, "created", 1))
    handle(engine, contact_event("person", person, "deleted", 1))
    assert links_of(engine, deal) == []
    [event] = outbox(engine)
    assert event["data"]["changes"][0]["before"]["id"] == person
    handle(engine, contact_event("person", person, "updated", 1))
    with engine.connect() as connection:
        gone = connection.execute(sa.text("SELECT gone FROM contacts WHERE id = :id"), {"id": person}).scalar()
    assert gone


def test_a_merge_event_without_merged_from_is_refused_as_invalid(engine: sa.Engine) -> None:
    from crm_shared.envelope import InvalidEvent

    with pytest.raises(InvalidEvent):
        handle(engine, contact_event("company", str(uuid.uuid4()), "merged", 2))
