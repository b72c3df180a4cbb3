"""Task types: the defaults and the "suggest next" rule a type may carry."""
from __future__ import annotations

import itertools

import pytest

from crm_tasks.domain.rules import TaskRuleBroken
from crm_tasks.domain.task_types import SuggestNext, TaskType, default_types, new_type


def test_a_fresh_installation_has_email_offer_project_meeting_online_meeting_and_call() -> None:
    counter = itertools.count()
    types = default_types(lambda: f"t{next(counter)}")
    assert [t.name for t in types] == ["Email", "Offer", "Project", "Meeting", "Online meeting", "Call"]
    assert len({t.id for t in types}) == 6 and all(t.suggest_next is None for t in types)


def test_a_type_may_suggest_a_task_of_a_known_type_after_a_delay() -> None:
    created = new_type({"name": " Email ", "suggest_next": {"type_id": "call", "title": "Call back",
                                                          "delay_minutes": 90}}, id="email", known_type_ids={"call"})
    assert created.state() == {"id": "email", "version": 1, "name": "Email",
                               "suggest_next": {"type_id": "call", "title": "Call back", "delay_minutes": 90}}


def test_a_type_may_suggest_another_task_of_its_own_type() -> None:
    created = new_type({"name": "Call", "suggest_next": {"type_id": "call", "title": "Again", "delay_minutes": 0}},
                       id="call", known_type_ids=set())
    assert created.suggest_next == SuggestNext("call", "Again", 0)


@pytest.mark.parametrize(("values", "field"), [
    ({"name": ""}, "name"),
    ({}, "name"),
    ({"name": "x" * 101}, "name"),
    ({"name": "Email", "suggest_next": {"type_id": "fax", "title": "t", "delay_minutes": 1}}, "suggest_next.type_id"),
    ({"name": "Email", "suggest_next": {"type_id": "call", "title": " ", "delay_minutes": 1}}, "suggest_next.title"),
    ({"name": "Email", "suggest_next": {"type_id": "call", "title": "t", "delay_minutes": -1}},
     "suggest_next.delay_minutes"),
    ({"name": "Email", "suggest_next": {"type_id": "call", "title": "t", "delay_minutes": "1"}},
     "suggest_next.delay_minutes"),
])
def test_broken_rules_name_the_field(values, field: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(TaskRuleBroken) as broken:
        new_type(values, id="email", known_type_ids={"call"})
    assert field in broken.value.errors


def test_renaming_reports_the_change_and_removing_the_rule_too() -> None:
    email = TaskType("email", 1, "Email", SuggestNext("call", "Call back", 60))
    renamed, changes = email.updated({"name": "E-mail", "suggest_next": None}, known_type_ids={"call"})
    assert [(c.field, c.before, c.after) for c in changes] == [
        ("name", "Email", "E-mail"),
        ("suggest_next", {"type_id": "call", "title": "Call back", "delay_minutes": 60}, None)]
    assert (renamed.version, renamed.suggest_next) == (2, None)
    assert email.updated({"name": "Email"}, known_type_ids=set()) == (email, [])
