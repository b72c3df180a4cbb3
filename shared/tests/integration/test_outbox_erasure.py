"""An erasure drops the published outbox rows that name its subject; unpublished ones are still delivered (CON-4)."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest
import sqlalchemy as sa

from crm_shared import db
from crm_shared.envelope import Actor, wrap
from crm_shared.events import ObjectChanged
from crm_shared.outbox import append, drop_published_naming, outbox_table
from crm_shared.relay import OutboxRelay
from crm_shared.unit_of_work import UnitOfWork

pytestmark = pytest.mark.integration
PERSON = "6f1c2a8e-0d3b-4c55-9a1e-1b2c3d4e5f60"
OTHER = "0a9b8c7d-6e5f-4a3b-8c2d-1e0f9a8b7c6d"


class RecordingPublisher:
    """Stands in for the broker: confirms every batch and remembers what it was given."""

    connected = True

    def __init__(self) -> None:
        self.published: list[str] = []

    def publish_batch(self, messages: list) -> None:  # type: ignore[type-arg]
        self.published += [message.routing_key for message in messages]


def _store(url: str) -> tuple[sa.Engine, sa.Table]:
    metadata = sa.MetaData()
    table = outbox_table(metadata)
    engine = db.create_engine(url)
    metadata.create_all(engine)
    return engine, table


def _write(engine: sa.Engine, table: sa.Table, *changes: ObjectChanged) -> None:
    now = datetime.now(timezone.utc)
    with engine.begin() as connection:
        append(connection, table, [wrap(change, service="deals", actor=Actor("u", "Eva"), correlation_id="c",
                                        time=now) for change in changes], "deals")


def _deal(deal_id: str, person_id: str, version: int = 1) -> ObjectChanged:
    link = {"type": "person", "id": person_id, "name": "Jana Nováková"}
    return ObjectChanged("deal", deal_id, "Big deal", f"/api/v1/deals/{deal_id}", "updated", version,
                         state={"id": deal_id, "links": [link]})


def _bodies(engine: sa.Engine, table: sa.Table, *, published: bool) -> list[str]:
    with engine.connect() as connection:
        condition = table.c.published_at.is_not(None) if published else table.c.published_at.is_(None)
        return list(connection.execute(sa.select(table.c.body).where(condition).order_by(table.c.id)).scalars())


def test_published_rows_naming_the_subject_go_and_the_others_stay(any_database_url: str) -> None:
    engine, table = _store(any_database_url)
    _write(engine, table, _deal("d-1", PERSON), _deal("d-2", OTHER))
    relay = OutboxRelay(engine, table, RecordingPublisher(), service="deals")  # type: ignore[arg-type]
    relay.publish_pending()
    _write(engine, table, _deal("d-1", PERSON, 2))  # not published yet: it is still delivered

    with engine.begin() as connection:
        assert drop_published_naming(connection, table, PERSON) == 1

    published, unpublished = (_bodies(engine, table, published=flag) for flag in (True, False))
    assert [OTHER in body for body in published] == [True]
    assert [PERSON in body for body in unpublished] == [True]


def test_a_unit_of_work_drops_them_with_its_commit_only(any_database_url: str) -> None:
    engine, table = _store(any_database_url)
    _write(engine, table, _deal("d-1", PERSON))
    OutboxRelay(engine, table, RecordingPublisher(), service="deals").publish_pending()  # type: ignore[arg-type]

    with UnitOfWork(engine, table, service="deals") as uow:
        uow.erase_published(PERSON)  # left without a commit: nothing is dropped
    assert len(_bodies(engine, table, published=True)) == 1
    with UnitOfWork(engine, table, service="deals") as uow:
        uow.erase_published(PERSON)
        uow.commit()
    assert _bodies(engine, table, published=True) == []


def test_a_published_erasure_event_takes_the_rows_of_its_subject_with_it(any_database_url: str) -> None:
    engine, table = _store(any_database_url)
    person = ObjectChanged("person", PERSON, "Jana Nováková", f"/api/v1/persons/{PERSON}", "updated", 1,
                           state={"id": PERSON, "first_name": "Jana"})
    erased = ObjectChanged("person", PERSON, "Anonymized person", f"/api/v1/persons/{PERSON}", "anonymized", 2,
                           state={"id": PERSON, "first_name": None})
    _write(engine, table, person, _deal("d-2", OTHER))
    publisher = RecordingPublisher()
    relay = OutboxRelay(engine, table, publisher, service="contacts")  # type: ignore[arg-type]
    relay.publish_pending()
    _write(engine, table, erased)

    relay.publish_pending()

    assert publisher.published == ["crm.person.updated", "crm.deal.updated", "crm.person.anonymized"]
    assert [OTHER in body for body in _bodies(engine, table, published=True)] == [True]
