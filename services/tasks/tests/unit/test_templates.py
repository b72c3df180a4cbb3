"""Task templates: their items, their changes, and the tasks applying one creates."""
from __future__ import annotations

from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

import pytest

from crm_tasks.domain.rules import TaskRuleBroken
from crm_tasks.domain.tasks import new_task
from crm_tasks.domain.templates import due_on, new_template

NOW = datetime(2026, 11, 22, 10, 0, tzinfo=timezone.utc)
TYPES = {"email", "call"}
PRAGUE = ZoneInfo("Europe/Prague")


def template():  # type: ignore[no-untyped-def]
    items = [{"title": "Thank you mail", "type_id": "email", "delay_days": 0},
             {"title": "Ask for a review", "type_id": "call", "delay_days": 30, "responsible_id": "bob"}]
    return new_template({"name": " After the sale ", "items": items}, id="tp1", known_type_ids=TYPES,
                        actor_id="ann", now=NOW)


def test_applying_a_template_plans_one_task_per_item_due_at_five_pm_local_after_the_delay() -> None:
    planned = template().planned_tasks({"type": "deal", "id": "d1"}, base_date=date(2026, 10, 1), actor_id="ann")
    assert [(p["title"], p["type_id"], p["due"], p["responsible_id"]) for p in planned] == [
        ("Thank you mail", "email", datetime(2026, 10, 1, 17, tzinfo=PRAGUE), "ann"),
        ("Ask for a review", "call", datetime(2026, 10, 31, 17, tzinfo=PRAGUE), "bob"),
    ]
    assert all(p["links"][0].key == ("deal", "d1") for p in planned)


def test_a_delay_across_the_change_of_daylight_saving_still_lands_at_five_pm_local() -> None:
    before, after = due_on(date(2026, 10, 24), 0), due_on(date(2026, 10, 24), 2)
    assert (before.hour, after.hour) == (17, 17)
    assert (before.astimezone(timezone.utc).hour, after.astimezone(timezone.utc).hour) == (15, 16)


def test_planned_tasks_are_valid_new_tasks_linked_to_the_target(catalog) -> None:
    planned = template().planned_tasks({"type": "space", "id": "s1"}, base_date=date(2026, 12, 1), actor_id="ann")
    tasks = [new_task(values, id=f"t{i}", catalog=catalog, actor_id="ann", now=NOW) for i, values in enumerate(planned)]
    assert [(t.schedule.kind, t.links[0].type) for t in tasks] == [("deadline", "space"), ("deadline", "space")]


@pytest.mark.parametrize(("values", "field"), [
    ({"name": " ", "items": []}, "name"),
    ({"name": "T", "items": [{"title": "x", "type_id": "fax", "delay_days": 1}]}, "items.0.type_id"),
    ({"name": "T", "items": [{"title": "", "type_id": "call", "delay_days": 1}]}, "items.0.title"),
    ({"name": "T", "items": [{"title": "x", "type_id": "call", "delay_days": -1}]}, "items.0.delay_days"),
    ({"name": "T", "items": [{"title": "x", "type_id": "call", "delay_days": 1, "responsible_id": ""}]},
     "items.0.responsible_id"),
    ({"name": "T", "items": "call"}, "items"),
])
def test_broken_rules_name_the_field(values, field: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(TaskRuleBroken) as broken:
        new_template(values, id="tp", known_type_ids=TYPES, actor_id="ann", now=NOW)
    assert field in broken.value.errors


@pytest.mark.parametrize(("target", "field"), [
    ({"type": "invoice", "id": "i1"}, "target.type"), ({"type": "person", "id": " "}, "target.id"),
])
def test_a_template_applies_only_to_a_person_company_deal_or_space(target, field: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(TaskRuleBroken) as broken:
        template().planned_tasks(target, base_date=date(2026, 1, 1), actor_id="ann")
    assert field in broken.value.errors


def test_changing_a_template_reports_its_name_and_items() -> None:
    changed, changes = template().updated({"name": "Won", "items": []}, known_type_ids=TYPES, actor_id="bob", now=NOW)
    assert [c.field for c in changes] == ["name", "items"]
    assert (changed.version, changed.items, changed.updated_by) == (2, (), "bob")
    assert template().updated({"name": "After the sale"}, known_type_ids=TYPES, actor_id="bob", now=NOW)[1] == []
