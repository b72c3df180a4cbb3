"""Task statuses: the setting, the defaults, their order, and how tasks move through them."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest

from crm_tasks.domain.rules import TaskRuleBroken
from crm_tasks.domain.statuses import (
    TaskSettings, default_statuses, in_order, new_status, reordered, without,
)

NOW = datetime(2026, 11, 22, 10, 0, tzinfo=timezone.utc)


def statuses():  # type: ignore[no-untyped-def]
    ids = iter(("todo", "doing", "done"))
    return default_statuses(lambda: next(ids))


def test_statuses_are_off_until_the_setting_turns_them_on() -> None:
    assert TaskSettings().statuses_enabled is False
    settings, changes = TaskSettings().updated({"statuses_enabled": True})
    assert (settings.as_dict(), settings.version) == ({"statuses_enabled": True}, 2)
    assert [c.as_dict() for c in changes] == [{"field": "statuses_enabled", "before": False, "after": True}]
    assert TaskSettings().updated({"statuses_enabled": False}) == (TaskSettings(), [])
    with pytest.raises(TaskRuleBroken):
        TaskSettings().updated({"statuses_enabled": "on"})


def test_the_default_statuses_are_to_do_in_progress_and_done_in_that_order() -> None:
    assert [(s.name, s.position) for s in statuses()] == [("To do", 0), ("In progress", 1), ("Done", 2)]


def test_a_new_status_goes_last_and_needs_a_name() -> None:
    assert new_status(" Waiting ", id="wait", current=statuses()).as_dict() == {
        "id": "wait", "name": "Waiting", "position": 3, "version": 1}
    with pytest.raises(TaskRuleBroken) as broken:
        new_status(" ", id="x", current=statuses())
    assert "name" in broken.value.errors


def test_reordering_takes_exactly_the_current_ids() -> None:
    placed = reordered(statuses(), ["done", "todo", "doing"])
    assert [s.name for s in in_order([status for status, _ in placed])] == ["Done", "To do", "In progress"]
    assert [(s.id, s.version, [c.as_dict() for c in changes]) for s, changes in placed] == [
        ("done", 2, [{"field": "position", "before": 2, "after": 0}]),
        ("todo", 2, [{"field": "position", "before": 0, "after": 1}]),
        ("doing", 2, [{"field": "position", "before": 1, "after": 2}])]
    for ids in (["done", "todo"], ["done", "todo", "doing", "todo"], ["done", "todo", "other"]):
        with pytest.raises(TaskRuleBroken) as broken:
            reordered(statuses(), ids)
        assert "ids" in broken.value.errors


def test_removing_a_status_renumbers_the_others_without_gaps() -> None:
    left = without(statuses(), "doing")
    assert [(s.id, s.position) for s, _ in left] == [("todo", 0), ("done", 1)]
    assert [bool(changes) for _, changes in left] == [False, True]  # only the moved one changed


def test_a_renamed_status_keeps_its_place() -> None:
    renamed, changes = statuses()[1].renamed("Working")
    assert (renamed.id, renamed.name, renamed.position, renamed.version) == ("doing", "Working", 1, 2)
    assert [c.as_dict() for c in changes] == [{"field": "name", "before": "In progress", "after": "Working"}]
    assert statuses()[1].renamed("In progress")[1] == []


def test_with_statuses_on_a_new_task_starts_in_the_first_status(make_task, catalog_with_statuses) -> None:
    task = make_task(catalog=catalog_with_statuses)
    assert (task.status_id, task.status_name) == ("todo", "To do")


def test_an_unknown_status_breaks_the_rule(make_task, catalog_with_statuses) -> None:
    with pytest.raises(TaskRuleBroken) as broken:
        make_task(catalog=catalog_with_statuses, status_id="nope")
    assert "status_id" in broken.value.errors


def test_a_status_change_reports_the_names(make_task, catalog_with_statuses) -> None:
    task = make_task(catalog=catalog_with_statuses)
    moved, changes = task.updated({"status_id": "doing"}, catalog=catalog_with_statuses, actor_id="ann", now=NOW)
    assert [(c.field, c.before, c.after) for c in changes] == [("status", "To do", "In progress")]


def test_completing_moves_to_the_last_status_and_reopening_back_to_the_first(make_task, catalog_with_statuses) -> None:
    done, changes = make_task(catalog=catalog_with_statuses).completed(catalog=catalog_with_statuses,
                                                                       actor_id="ann", now=NOW)
    assert [(c.field, c.before, c.after) for c in changes] == [("status", "To do", "Done"), ("done", False, True)]
    reopened, _ = done.reopened(catalog=catalog_with_statuses, actor_id="ann", now=NOW)
    assert (reopened.status_name, reopened.done) == ("To do", False)


def test_with_statuses_off_a_task_is_just_open_or_done(make_task, catalog) -> None:
    task = make_task()
    done, changes = task.completed(catalog=catalog, actor_id="ann", now=NOW)
    assert (task.status_id, done.status_id, done.done) == (None, None, True)
    assert [c.field for c in changes] == ["done"]
