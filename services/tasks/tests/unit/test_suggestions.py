"""The next task a completed one suggests, and the task accepting it creates."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from crm_tasks.domain.suggestions import suggested_task_values, suggestion_for
from crm_tasks.domain.tasks import new_task

NOW = datetime(2026, 11, 22, 10, 0, tzinfo=timezone.utc)


def test_completing_a_task_whose_type_has_a_rule_suggests_the_next_due_after_the_delay(make_task, catalog) -> None:
    done, _ = make_task().completed(catalog=catalog, actor_id="ann", now=NOW)
    suggestion = suggestion_for(done, catalog.task_type("email"))
    assert suggestion is not None
    assert suggestion.as_dict() == {"type_id": "call", "title": "Call back", "due": (NOW + timedelta(days=2)).isoformat()}


def test_a_type_without_a_rule_or_an_open_task_suggests_nothing(make_task, catalog) -> None:
    call = make_task(type_id="call")
    done_call, _ = call.completed(catalog=catalog, actor_id="ann", now=NOW)
    assert suggestion_for(done_call, catalog.task_type("call")) is None
    assert suggestion_for(make_task(), catalog.task_type("email")) is None


def test_accepting_a_suggestion_creates_a_task_with_the_links_and_the_computed_due_time(make_task, catalog) -> None:
    task = make_task(responsible_id="bob", links=[{"type": "person", "id": "p1"}, {"type": "deal", "id": "d1"}])
    done, _ = task.completed(catalog=catalog, actor_id="bob", now=NOW)
    suggestion = suggestion_for(done, catalog.task_type("email"))
    assert suggestion is not None
    values = suggested_task_values(suggestion, done, {"title": "Call Jana", "status": "ignored"})
    created = new_task(values, id="t2", catalog=catalog, actor_id="ann", now=NOW)
    assert (created.title, created.type_name, created.schedule.due, created.responsible_id) == (
        "Call Jana", "Call", NOW + timedelta(days=2), "bob")
    assert created.links == done.links
