"""A task's rules and the changes it reports, without Flask, SQL or the bus."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

import pytest

from crm_tasks.domain.catalog import TaskCatalog
from crm_tasks.domain.links import Link
from crm_tasks.domain.rules import TaskRuleBroken, TaskStateConflict
from crm_tasks.domain.task_fields import MAX_REMINDERS

NOW = datetime(2026, 11, 22, 10, 0, tzinfo=timezone.utc)
LATER = NOW + timedelta(hours=1)


def fields_of(changes: Any) -> list[tuple[str, Any, Any]]:
    return [(c.field, c.before, c.after) for c in changes]


def test_a_new_task_is_open_normal_public_and_its_author_is_responsible(make_task) -> None:
    task = make_task(title="  Send the offer  ")
    assert (task.title, task.type_name, task.responsible_id, task.priority, task.private, task.done, task.version) == (
        "Send the offer", "Email", "ann", "normal", False, False, 1)
    assert task.schedule.kind == "inbox"


@pytest.mark.parametrize(("values", "field"), [
    ({"title": "   "}, "title"),
    ({"title": None}, "title"),
    ({"title": "x" * 501}, "title"),
    ({"type_id": "fax"}, "type_id"),
    ({"start": NOW.isoformat(), "end": (NOW - timedelta(minutes=1)).isoformat()}, "end"),
    ({"start": NOW}, "end"),
    ({"end": NOW}, "start"),
    ({"start": NOW, "end": LATER, "due": LATER}, "due"),
    ({"due": "2026-11-22T10:00:00"}, "due"),
    ({"due": "next tuesday"}, "due"),
    ({"priority": "urgent"}, "priority"),
    ({"private": "yes"}, "private"),
    ({"reminders": [-5]}, "reminders.0"),
    ({"reminders": [True]}, "reminders.0"),
    ({"reminders": list(range(MAX_REMINDERS + 1))}, "reminders"),
    ({"member_ids": ["bob", ""]}, "member_ids.1"),
    ({"links": [{"type": "person", "id": "p1"}, {"type": "person", "id": "p2"}]}, "links"),
    ({"links": [{"type": "invoice", "id": "i1"}]}, "links.0.type"),
    ({"due": NOW, "rrule": "FREQ=SOMETIMES"}, "rrule"),
    ({"due": NOW, "rrule": "FREQ=DAILY;INTERVAL=0"}, "rrule"),
    ({"due": NOW, "rrule": "FREQ=DAILY;COUNT=2;UNTIL=20261201T000000Z"}, "rrule"),
    ({"due": NOW, "rrule": "FREQ=DAILY;UNTIL=20261201"}, "rrule"),
    ({"due": NOW, "rrule": "FREQ=DAILY\nEXDATE:20261123"}, "rrule"),
    ({"rrule": "FREQ=DAILY"}, "rrule"),
    ({"status_id": "todo"}, "status_id"),
])
def test_broken_rules_name_the_field(make_task, values: dict[str, Any], field: str) -> None:
    with pytest.raises(TaskRuleBroken) as broken:
        make_task(**values)
    assert field in broken.value.errors


def test_a_task_with_a_start_and_an_end_is_timed_and_one_with_a_due_time_is_a_deadline(make_task) -> None:
    assert make_task(start=NOW, end=LATER).schedule.kind == "timed"
    assert make_task(start=NOW, end=NOW).schedule.kind == "timed"
    assert make_task(due="2026-11-22T11:00:00+01:00").schedule.due == NOW


def test_setting_a_start_and_end_drops_the_due_time_and_setting_a_due_time_drops_them(make_task, catalog) -> None:
    deadline = make_task(due=NOW)
    timed, _ = deadline.updated({"start": NOW, "end": LATER}, catalog=catalog, actor_id="ann", now=NOW)
    assert (timed.schedule.start, timed.schedule.end, timed.schedule.due) == (NOW, LATER, None)
    back, _ = timed.updated({"due": LATER}, catalog=catalog, actor_id="ann", now=NOW)
    assert (back.schedule.start, back.schedule.end, back.schedule.due) == (None, None, LATER)


def test_a_recurrence_is_kept_in_canonical_form_and_needs_a_time(make_task, catalog) -> None:
    task = make_task(due=NOW, rrule="rrule:freq=weekly;byday=mo,we")
    assert task.rrule == "FREQ=WEEKLY;BYDAY=MO,WE"
    with pytest.raises(TaskRuleBroken) as broken:
        task.updated({"due": None}, catalog=catalog, actor_id="ann", now=NOW)
    assert "rrule" in broken.value.errors


def test_reminders_are_deduplicated_and_sorted_earliest_first(make_task) -> None:
    assert make_task(due=NOW, reminders=[15, 60, 15, 0]).reminders == (60, 15, 0)


def test_members_are_kept_once_each_in_order(make_task) -> None:
    assert make_task(member_ids=["bob", "cid", "bob"]).member_ids == ("bob", "cid")


def test_repeating_the_same_link_keeps_it_once(make_task) -> None:
    task = make_task(links=[{"type": "deal", "id": "d1"}, {"type": "deal", "id": "d1"}, {"type": "person", "id": "p"}])
    assert [link.key for link in task.links] == [("deal", "d1"), ("person", "p")]


def test_creation_lists_every_set_field_with_types_and_users_by_name(make_task, catalog) -> None:
    task = make_task(responsible_id="bob", member_ids=["cid", "zed"], due=NOW, links=[{"type": "deal", "id": "d1"}])
    assert fields_of(task.creation_changes(catalog)) == [
        ("title", None, "Send the offer"), ("type", None, "Email"), ("due", None, NOW.isoformat()),
        ("responsible", None, "Bob Boss"), ("members", None, ["Cid Colleague", "zed"]),
        ("priority", None, "normal"), ("private", None, False), ("done", None, False),
        ("links", None, {"type": "deal", "id": "d1", "name": None}),
    ]


def test_an_update_reports_each_audited_field_readably_and_bumps_the_version(make_task, catalog) -> None:
    task = make_task(due=NOW)
    patch = {"title": "Call the client", "type_id": "call", "responsible_id": "bob", "member_ids": ["cid"],
             "priority": "high", "private": True, "reminders": [10], "rrule": "FREQ=DAILY;COUNT=3",
             "due": LATER}
    changed, changes = task.updated(patch, catalog=catalog, actor_id="bob", now=LATER)
    assert fields_of(changes) == [
        ("title", "Send the offer", "Call the client"), ("type", "Email", "Call"),
        ("due", NOW.isoformat(), LATER.isoformat()), ("responsible", "Ann Author", "Bob Boss"),
        ("members", [], ["Cid Colleague"]), ("priority", "normal", "high"), ("private", False, True),
        ("reminders", [], [10]), ("rrule", None, "FREQ=DAILY;COUNT=3"),
    ]
    assert (changed.version, changed.updated_by, changed.updated_at) == (2, "bob", LATER)


def test_an_update_that_changes_nothing_keeps_the_version(make_task, catalog) -> None:
    task = make_task(due=NOW)
    same, changes = task.updated({"title": "Send the offer ", "due": NOW.isoformat()}, catalog=catalog,
                                 actor_id="bob", now=LATER)
    assert (same, changes) == (task, [])


def test_handing_a_task_to_a_namesake_is_still_a_change(make_task, catalog) -> None:
    namesakes = TaskCatalog(types=catalog.types, user_names={"ann": "Jan Novák", "jan": "Jan Novák"}.get)
    changed, changes = make_task().updated({"responsible_id": "jan"}, catalog=namesakes, actor_id="ann", now=NOW)
    assert fields_of(changes) == [("responsible", "Jan Novák", "Jan Novák")]
    assert changed.version == 2


def test_completing_marks_the_task_done_now_and_completing_again_is_a_conflict(make_task, catalog) -> None:
    done, changes = make_task().completed(catalog=catalog, actor_id="bob", now=LATER)
    assert (done.done, done.done_at, done.version) == (True, LATER, 2)
    assert fields_of(changes) == [("done", False, True)]
    with pytest.raises(TaskStateConflict):
        done.completed(catalog=catalog, actor_id="bob", now=LATER)


def test_reopening_an_open_task_is_a_conflict_and_a_done_one_becomes_open(make_task, catalog) -> None:
    with pytest.raises(TaskStateConflict):
        make_task().reopened(catalog=catalog, actor_id="ann", now=NOW)
    done, _ = make_task().completed(catalog=catalog, actor_id="ann", now=NOW)
    reopened, changes = done.reopened(catalog=catalog, actor_id="ann", now=LATER)
    assert (reopened.done, reopened.done_at, reopened.version) == (False, None, 3)
    assert fields_of(changes) == [("done", True, False)]


def test_deleting_lists_every_set_field_as_a_change_to_nothing(make_task, catalog) -> None:
    task = make_task(links=[{"type": "company", "id": "c1", "name": "Firm"}])
    assert ("title", "Send the offer", None) in fields_of(task.deletion_changes(catalog))
    assert fields_of(task.deletion_changes(catalog))[-1] == ("links", {"type": "company", "id": "c1", "name": "Firm"},
                                                             None)


def test_replacing_links_reports_each_one_removed_or_added(make_task, catalog) -> None:
    task = make_task(links=[{"type": "person", "id": "p1"}])
    _, changes = task.with_links([Link("person", "p2")], catalog=catalog, actor_id="system", now=NOW)
    assert fields_of(changes) == [("links", {"type": "person", "id": "p1", "name": None}, None),
                                  ("links", None, {"type": "person", "id": "p2", "name": None})]


def test_the_state_carries_everything_counters_and_interactions_need(make_task) -> None:
    state = make_task(due=NOW, responsible_id="bob", private=True, links=[{"type": "person", "id": "p1"}]).state()
    assert {key: state[key] for key in ("responsible_id", "due", "start", "end", "done", "private", "type_id",
                                        "type_name", "status_id", "kind")} == {
        "responsible_id": "bob", "due": NOW.isoformat(), "start": None, "end": None, "done": False,
        "private": True, "type_id": "email", "type_name": "Email", "status_id": None, "kind": "deadline"}
    assert state["links"] == [{"type": "person", "id": "p1", "name": None}]
