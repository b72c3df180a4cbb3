"""Logging entries and working the log, as use cases on the fake unit of work."""
from __future__ import annotations

from decimal import Decimal

import pytest

from crm_shared.envelope import Actor
from crm_shared.errors import Conflict, NotFound, ValidationFailed
from crm_shared.rules import StateConflict
from crm_shared.testing.fakes import FakeUnitOfWork

from crm_interactions.domain.contacts import GroupCopy
from crm_interactions.domain.query import EntryQuery
from crm_interactions.service_layer import catalog, cleanup, log

from .fakes import fake_uow, known

TEMPLATE = {"code": "call", "description": "Phone call", "method": "phone", "initiated_by": "us",
            "unit_cost": Decimal("12.50"), "unit_duration_minutes": 15}


@pytest.fixture
def uow() -> FakeUnitOfWork:
    return fake_uow()


def _template(uow: FakeUnitOfWork, **values: object) -> str:
    return catalog.create_template(uow, {**TEMPLATE, **values}).id


def _log(uow: FakeUnitOfWork, template_id: str, contact_id: str, **overrides: object) -> str:
    body = {"template_id": template_id, "contact": {"type": "person", "id": contact_id}, **overrides}
    return log.log_interactions(uow, body)[0].id


def test_the_template_s_settings_are_copied_and_later_template_edits_leave_the_entry(uow: FakeUnitOfWork) -> None:
    template_id = _template(uow)
    known(uow, "p1")
    [entry] = log.log_interactions(uow, {"template_id": template_id, "contact": {"type": "person", "id": "p1"}})
    assert (entry.template_code, entry.method, entry.cost, entry.duration_minutes, entry.user.name) == (
        "CALL", "phone", Decimal("12.50"), 15, "Ann Author")
    catalog.update_template(uow, template_id, {"unit_cost": Decimal("99")})
    assert log.get_entry(uow, entry.id).cost == Decimal("12.50")
    assert [e.event_type for e in uow.events] == [
        "crm.interaction_template.created", "crm.interaction.created", "crm.interaction_template.updated"]


def test_an_override_replaces_the_copied_setting(uow: FakeUnitOfWork) -> None:
    template_id = _template(uow)
    known(uow, "p1")
    entry = log.get_entry(uow, _log(uow, template_id, "p1", method="email", cost=Decimal("1"), duration_minutes=2))
    assert (entry.method, entry.cost, entry.duration_minutes, entry.initiated_by) == ("email", Decimal("1"), 2, "us")


def test_a_group_makes_one_entry_per_visible_member_in_one_commit(uow: FakeUnitOfWork) -> None:
    template_id = _template(uow)
    uow.groups.items["g1"] = GroupCopy("g1", "Newsletter")
    for contact_id in ("p1", "p2", "p3"):
        known(uow, contact_id, groups=("g1",))
    known(uow, "p4", groups=("g1",), owner="someone-else")
    commits = uow.commits
    entries = log.log_interactions(uow, {"template_id": template_id, "group_id": "g1"})
    assert sorted(e.contact.id for e in entries) == ["p1", "p2", "p3"]
    assert {e.source for e in entries} == {"segment"}
    assert uow.commits == commits + 1


def test_an_invisible_contact_is_refused_exactly_like_an_unknown_one(uow: FakeUnitOfWork) -> None:
    template_id = _template(uow)
    known(uow, "hidden", owner="someone-else")
    answers = []
    for contact_id in ("hidden", "unknown"):
        with pytest.raises(ValidationFailed) as refused:
            _log(uow, template_id, contact_id)
        answers.append(refused.value.extra["errors"]["contact.id"][0].replace(contact_id, "X"))
    assert answers[0] == answers[1] == "No person with id X."
    assert [e.event_type for e in uow.events] == ["crm.interaction_template.created"]


def test_an_unknown_template_or_group_is_a_422_naming_it(uow: FakeUnitOfWork) -> None:
    known(uow, "p1")
    with pytest.raises(ValidationFailed) as refused:
        _log(uow, "nope", "p1")
    assert "template_id" in refused.value.extra["errors"]
    with pytest.raises(ValidationFailed) as refused:
        log.log_interactions(uow, {"template_id": _template(uow), "group_id": "nope"})
    assert "group_id" in refused.value.extra["errors"]


def test_cancel_and_restore_go_back_and_forth_and_refuse_repeating(uow: FakeUnitOfWork) -> None:
    known(uow, "p1")
    entry_id = _log(uow, _template(uow), "p1")
    assert log.cancel_entry(uow, entry_id).status == "canceled"
    with pytest.raises(StateConflict):
        log.cancel_entry(uow, entry_id)
    restored = log.restore_entry(uow, entry_id)
    assert (restored.status, restored.version) == ("logged", 3)
    assert [e.operation for e in uow.events[-2:]] == ["canceled", "restored"]


def test_only_canceled_entries_are_ever_deleted(uow: FakeUnitOfWork) -> None:
    known(uow, "p1")
    template_id = _template(uow)
    kept, dropped = _log(uow, template_id, "p1"), _log(uow, template_id, "p1")
    log.cancel_entry(uow, dropped)
    assert cleanup.delete_canceled(uow, EntryQuery(), dry_run=True).entry_ids == [dropped]
    assert set(uow.entries.items) == {kept, dropped}
    with pytest.raises(Conflict):
        cleanup.delete_canceled(uow, EntryQuery(ids=(kept, dropped)))
    with pytest.raises(ValidationFailed):
        cleanup.delete_canceled(uow, EntryQuery(status="logged"))
    with pytest.raises(ValidationFailed) as unknown:
        cleanup.delete_canceled(uow, EntryQuery(ids=(dropped, "nope")))
    assert unknown.value.extra["errors"] == {"ids": ["No interaction with id nope."]}
    with pytest.raises(StateConflict):
        cleanup.delete_entry(uow, kept)
    done = cleanup.delete_canceled(uow, EntryQuery(contact_id="p1"))
    assert (done.entry_ids, set(uow.entries.items)) == ([dropped], {kept})
    assert [e.event_type for e in uow.events[-2:]] == ["crm.interaction.deleted", "crm.interaction_batch.deleted"]


def test_an_inbound_entry_is_initiated_by_the_contact_and_processed_once(uow: FakeUnitOfWork) -> None:
    known(uow, "p1")
    entry = log.record_inbound(uow, {"kind": "payment", "contact": {"type": "person", "id": "p1"}})
    assert (entry.initiated_by, entry.processed, entry.method, entry.cost) == ("them", False, "other", Decimal("0"))
    assert log.mark_processed(uow, entry.id).processed is True
    events = len(uow.events)
    assert log.mark_processed(uow, entry.id).version == 2
    assert len(uow.events) == events


def test_an_entry_of_a_contact_the_caller_cannot_see_is_missing() -> None:
    ann, cid = fake_uow(), fake_uow(Actor("cid", "Cid Colleague"))
    known(ann, "p1")
    entry_id = _log(ann, _template(ann), "p1")
    cid.entries, cid.contacts = ann.entries, ann.contacts
    with pytest.raises(NotFound):
        log.get_entry(cid, entry_id)
    assert log.list_entries(cid, EntryQuery(), None) == ([], None)
