"""Channels and restores: every event says how its change was made, and which entry it restores."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask

from crm_shared import db
from crm_shared.envelope import API, AUTOMATION, SYSTEM, Actor, CloudEvent, automation_by, parse
from crm_shared.errors import ValidationFailed
from crm_shared.events import ObjectChanged
from crm_shared.outbox import outbox_table
from crm_shared.testing.fakes import FakeUnitOfWork
from crm_shared.types import utcnow
from crm_shared.unit_of_work import UnitOfWork
from crm_shared.web import RESTORES_ENTRY_HEADER, restores_entry

EVA = Actor("u-1", "Eva")
ENTRY_ID = "6f1c8e64-9a65-4bd0-9d1c-6d7a3f9b8f10"


def _change(n: int) -> ObjectChanged:
    return ObjectChanged("person", f"p-{n}", "P", "/p", "updated", n)


def _cause(actor: Actor) -> CloudEvent:
    return CloudEvent(id=ENTRY_ID, source="/crm/deals", type="crm.deal.won", subject="d-1", time=utcnow(),
                      actorid=actor.id, actorname=actor.name, correlationid="req-1", sequence=3, data={},
                      channel=actor.channel)


def test_an_automation_acts_for_the_user_who_caused_it_else_for_the_system() -> None:
    assert automation_by(_cause(EVA)) == Actor("u-1", "Eva", AUTOMATION)
    assert automation_by(_cause(SYSTEM)) == Actor("system", "system", AUTOMATION)


def test_events_go_out_as_the_actor_of_the_moment_they_were_emitted() -> None:
    uow = FakeUnitOfWork(actor=SYSTEM)
    with uow:
        uow.emit(_change(1))
        with uow.acting_as(EVA.via(AUTOMATION)):
            uow.emit(_change(2))
        uow.emit(_change(3))
        uow.commit()
    assert [actor.channel for _, actor in uow.emitted] == ["system", "automation", "system"]
    assert uow.actor == SYSTEM


def test_the_outbox_carries_each_events_channel_and_the_entry_a_restore_puts_back(tmp_path: Path) -> None:
    engine = db.create_engine(f"sqlite:///{tmp_path}/kit.sqlite3")
    table = outbox_table(metadata := sa.MetaData())
    metadata.create_all(engine)
    uow = UnitOfWork(engine, table, service="contacts", actor=EVA, restores_entry=ENTRY_ID)
    with uow:
        uow.emit(_change(1))
        with uow.acting_as(EVA.via("import")):
            uow.emit(_change(2))
        uow.commit()
    with engine.connect() as connection:
        bodies = [json.loads(body) for body in connection.execute(sa.select(table.c.body).order_by(table.c.id))
                  .scalars()]
    engine.dispose()
    assert [body["actorchannel"] for body in bodies] == [API, "import"]
    assert {body["restoresentry"] for body in bodies} == {ENTRY_ID}
    assert parse(bodies[0]).restoresentry == ENTRY_ID


def test_an_event_that_restores_nothing_has_no_restoresentry_attribute() -> None:
    event = _cause(EVA)
    assert "restoresentry" not in event.to_dict() and parse(event.to_dict()).restoresentry == ""


def test_a_request_names_the_entry_it_restores_in_a_header_and_a_malformed_one_is_a_422() -> None:
    app = Flask("test")
    with app.test_request_context(headers={RESTORES_ENTRY_HEADER: ENTRY_ID.upper()}):
        assert restores_entry() == ENTRY_ID
    with app.test_request_context():
        assert restores_entry() == ""
    with app.test_request_context(headers={RESTORES_ENTRY_HEADER: "1; DROP"}), pytest.raises(ValidationFailed) as refused:
        restores_entry()
    assert list(refused.value.extra["errors"]) == [RESTORES_ENTRY_HEADER]
