"""The task events: their types, and the whole state every consumer can work from."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest

from crm_tasks.domain.comments import new_comment
from crm_tasks.domain.events import task_changed, task_commented, template_changed
from crm_tasks.domain.templates import new_template

NOW = datetime(2026, 11, 22, 10, 0, tzinfo=timezone.utc)


def test_a_created_task_is_a_crm_task_created_event_with_its_changes_and_whole_state(make_task, catalog) -> None:
    task = make_task(due=NOW, responsible_id="bob", links=[{"type": "person", "id": "p1"}])
    event = task_changed(task, "created", task.creation_changes(catalog))
    data = event.data()
    assert (event.event_type, event.sequence) == ("crm.task.created", 1)
    assert (data["object_type"], data["object_id"], data["object_name"], data["object_link"]) == (
        "task", "t1", "Send the offer", "/api/v1/tasks/t1")
    assert data["state"] == task.state()
    assert {"field": "responsible", "before": None, "after": "Bob Boss"} in data["changes"]


@pytest.mark.parametrize("operation", ["updated", "deleted", "completed", "reopened"])
def test_every_task_operation_has_its_own_event_type(make_task, operation: str) -> None:
    assert task_changed(make_task(), operation, []).event_type == f"crm.task.{operation}"


def test_an_unknown_operation_is_refused(make_task) -> None:
    with pytest.raises(ValueError):
        task_changed(make_task(), "archived", [])


def test_a_completion_event_says_the_task_is_done_and_when(make_task, catalog) -> None:
    done, changes = make_task().completed(catalog=catalog, actor_id="ann", now=NOW)
    state = task_changed(done, "completed", changes).data()["state"]
    assert (state["done"], state["done_at"], state["version"]) == (True, NOW.isoformat(), 2)


def test_a_comment_event_names_the_tasks_responsible_user_and_carries_the_comment(make_task) -> None:
    task = make_task(responsible_id="bob")
    comment = new_comment("Any news?", id="c1", task_id=task.id, author_id="cid", author_name="Cid", now=NOW)
    event = task_commented(task, comment)
    data = event.data()
    assert (event.event_type, event.sequence, data["responsible_id"]) == ("crm.task.commented", 1, "bob")
    assert data["comment"]["text"] == "Any news?" and data["state"]["responsible_id"] == "bob"
    assert data["changes"] == [{"field": "comment", "before": None, "after": "Any news?"}]


def test_template_events_have_their_own_object_type() -> None:
    template = new_template({"name": "Won", "items": []}, id="tp1", known_type_ids=set(), actor_id="ann", now=NOW)
    event = template_changed(template, "created", template.creation_changes())
    assert (event.event_type, event.object_link, event.data()["state"]["name"]) == (
        "crm.task_template.created", "/api/v1/task-templates/tp1", "Won")
