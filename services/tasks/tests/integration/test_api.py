"""The tasks API on SQLite and PostgreSQL: defaults, types, statuses, tasks, suggestions, audited changes."""
from __future__ import annotations

from datetime import datetime, timedelta

from .conftest import AS_ADMIN, AS_ANN, AS_CID, BOB, CID, Api, changes_of


def test_six_types_three_statuses_and_settings_exist_from_the_first_start(api: Api) -> None:
    names = [t["name"] for t in api.ok("GET", "/task-types")["items"]]
    assert names == ["Email", "Offer", "Project", "Meeting", "Online meeting", "Call"]
    assert [s["name"] for s in api.ok("GET", "/task-statuses")["items"]] == ["To do", "In progress", "Done"]
    assert api.ok("GET", "/task-settings") == {"statuses_enabled": False}


def test_only_admins_write_types_and_a_type_in_use_cannot_be_removed(api: Api) -> None:
    assert api.call("POST", "/task-types", json={"name": "Visit"}).status_code == 403
    visit = api.ok("POST", "/task-types", 201, json={"name": "Visit"}, headers=AS_ADMIN)
    assert api.events()[-1]["type"] == "crm.task_type.created"
    renamed = api.ok("PATCH", f"/task-types/{visit['id']}", json={"name": "Site visit"}, headers=AS_ADMIN)
    assert renamed["name"] == "Site visit" and renamed["version"] == 2
    api.task(type_id=visit["id"])
    refused = api.call("DELETE", f"/task-types/{visit['id']}", headers=AS_ADMIN)
    assert refused.status_code == 409
    unused = api.ok("POST", "/task-types", 201, json={"name": "Lunch"}, headers=AS_ADMIN)
    assert api.call("DELETE", f"/task-types/{unused['id']}", headers=AS_ADMIN).status_code == 204
    assert "Lunch" not in [t["name"] for t in api.ok("GET", "/task-types")["items"]]


def test_statuses_when_on_place_new_tasks_first_and_done_ones_last_and_reorder_and_refuse_removal_in_use(
        api: Api) -> None:
    api.ok("PATCH", "/task-settings", json={"statuses_enabled": True}, headers=AS_ADMIN)
    statuses = api.ok("GET", "/task-statuses")["items"]
    task = api.task()
    assert task["status_name"] == "To do"
    done = api.ok("POST", f"/tasks/{task['id']}/complete", json={})["task"]
    assert done["status_name"] == "Done"
    ids = [s["id"] for s in statuses]
    reordered = api.ok("PUT", "/task-statuses/order", json={"ids": list(reversed(ids))}, headers=AS_ADMIN)
    assert [s["name"] for s in reordered["items"]] == ["Done", "In progress", "To do"]
    assert api.call("PUT", "/task-statuses/order", json={"ids": ids[:2]}, headers=AS_ADMIN).status_code == 422
    assert api.call("DELETE", f"/task-statuses/{ids[2]}", headers=AS_ADMIN).status_code == 409
    extra = api.ok("POST", "/task-statuses", 201, json={"name": "Waiting"}, headers=AS_ADMIN)
    assert api.ok("PATCH", f"/task-statuses/{extra['id']}", json={"name": "On hold"}, headers=AS_ADMIN)["name"] == "On hold"
    assert api.call("DELETE", f"/task-statuses/{extra['id']}", headers=AS_ADMIN).status_code == 204


def test_settings_and_status_changes_are_audited_events(api: Api) -> None:
    before = len(api.events())
    api.ok("PATCH", "/task-settings", json={"statuses_enabled": True}, headers=AS_ADMIN)
    api.ok("PATCH", "/task-settings", json={"statuses_enabled": True}, headers=AS_ADMIN)  # no change: no event
    waiting = api.ok("POST", "/task-statuses", 201, json={"name": "Waiting"}, headers=AS_ADMIN)
    api.ok("PATCH", f"/task-statuses/{waiting['id']}", json={"name": "On hold"}, headers=AS_ADMIN)
    assert api.call("DELETE", f"/task-statuses/{waiting['id']}", headers=AS_ADMIN).status_code == 204
    events = api.events()[before:]
    assert [(e["type"], e["sequence"]) for e in events] == [
        ("crm.task_settings.updated", 2), ("crm.task_status.created", 1), ("crm.task_status.updated", 2),
        ("crm.task_status.deleted", 2)]
    assert changes_of(events[0]) == [("statuses_enabled", False, True)]
    assert changes_of(events[2]) == [("name", "Waiting", "On hold")]
    assert changes_of(events[3]) == [("name", "On hold", None), ("position", 3, None)]


def test_a_title_is_all_a_task_needs_its_type_is_then_the_first_in_the_list(api: Api) -> None:
    task = api.ok("POST", "/tasks", 201, json={"title": "Just remember this"})
    assert (task["type_id"], task["type_name"]) == (api.type_id("Email"), "Email")
    assert task["done"] is False and task["version"] == 1 and task["kind"] == "inbox"


def test_a_task_is_read_with_its_etag_and_a_stale_if_match_is_refused(api: Api) -> None:
    task = api.task(start="2026-12-02T09:00:00+01:00", end="2026-12-02T10:00:00+01:00")
    assert task["version"] == 1 and task["done"] is False and task["responsible_id"] == task["created_by"]
    read = api.call("GET", f"/tasks/{task['id']}")
    assert read.headers["ETag"] == '"v1"'
    assert api.call("GET", f"/tasks/{task['id']}", headers={**AS_ANN, "If-None-Match": '"v1"'}).status_code == 304
    changed = api.ok("PATCH", f"/tasks/{task['id']}", json={"title": "Send the new offer"},
                     headers={**AS_ANN, "If-Match": '"v1"'})
    assert changed["version"] == 2
    stale = api.call("PATCH", f"/tasks/{task['id']}", json={"title": "x"}, headers={**AS_ANN, "If-Match": '"v1"'})
    assert stale.status_code == 412
    assert api.call("DELETE", f"/tasks/{task['id']}").status_code == 204
    assert api.call("GET", f"/tasks/{task['id']}").status_code == 404
    assert api.events()[-1]["type"] == "crm.task.deleted"


def test_bad_input_is_a_422_naming_the_field_and_writes_nothing(api: Api) -> None:
    email = api.type_id("Email")
    before = len(api.events())
    cases = {
        "type_id": {"title": "x", "type_id": "99999999-9999-9999-9999-999999999999"},
        "end": {"title": "x", "type_id": email, "start": "2026-12-02T10:00:00+01:00", "end": "2026-12-02T09:00:00+01:00"},
        "rrule": {"title": "x", "type_id": email, "due": "2026-12-02T10:00:00+01:00", "rrule": "FREQ=SOMETIMES"},
        "colour": {"title": "x", "type_id": email, "colour": "red"},
        "due": {"title": "x", "type_id": email, "due": "tomorrow"},
        "status_id": {"title": "x", "type_id": email, "status_id": "99999999-9999-9999-9999-999999999999"},
    }
    for field, body in cases.items():
        response = api.call("POST", "/tasks", json=body)
        assert response.status_code == 422, (field, response.get_json())
        assert field in response.get_json()["errors"], (field, response.get_json())
    assert len(api.events()) == before
    assert api.ok("GET", "/tasks")["items"] == []


def test_completing_answers_the_suggestion_and_accepting_it_creates_the_task_due_at_completion_plus_the_delay(
        api: Api) -> None:
    call = api.type_id("Call")
    email = api.ok("PATCH", f"/task-types/{api.type_id('Email')}", headers=AS_ADMIN,
                   json={"suggest_next": {"type_id": call, "title": "Call back", "delay_minutes": 2880}})
    person = api.known("person", "44444444-4444-4444-4444-444444444444")
    task = api.task(type_id=email["id"], links=[{"type": "person", "id": person}])
    answer = api.ok("POST", f"/tasks/{task['id']}/complete", json={})
    done_at = datetime.fromisoformat(answer["task"]["done_at"])
    assert answer["task"]["done"] is True
    assert answer["suggestion"]["type_id"] == call and answer["suggestion"]["title"] == "Call back"
    assert datetime.fromisoformat(answer["suggestion"]["due"]) == done_at + timedelta(minutes=2880)
    assert api.call("POST", f"/tasks/{task['id']}/complete", json={}).status_code == 409
    created = api.ok("POST", f"/tasks/{task['id']}/suggestion", 201, json={})
    assert created["type_id"] == call and created["title"] == "Call back"
    assert datetime.fromisoformat(created["due"]) == done_at + timedelta(minutes=2880)
    assert [(l["type"], l["id"]) for l in created["links"]] == [("person", person)]
    reopened = api.ok("POST", f"/tasks/{task['id']}/reopen", json={})
    assert reopened["done"] is False
    assert api.call("POST", f"/tasks/{task['id']}/suggestion", json={}).status_code == 409
    assert api.ok("POST", f"/tasks/{created['id']}/complete", json={})["suggestion"] is None


def test_every_audited_change_is_one_event_with_readable_before_and_after(api: Api) -> None:
    api.ok("PATCH", "/task-settings", json={"statuses_enabled": True}, headers=AS_ADMIN)
    doing = next(s for s in api.ok("GET", "/task-statuses")["items"] if s["name"] == "In progress")
    task = api.task(due="2026-12-02T10:00:00+01:00")
    patch = {"title": "Call about the offer", "type_id": api.type_id("Call"), "status_id": doing["id"],
             "start": "2026-12-03T09:00:00+01:00", "end": "2026-12-03T09:30:00+01:00", "responsible_id": CID,
             "member_ids": [BOB], "priority": "high", "private": True, "reminders": [15],
             "rrule": "FREQ=WEEKLY;BYDAY=WE", "description": "Bring numbers"}
    count = len(api.events())
    api.ok("PATCH", f"/tasks/{task['id']}", json=patch)
    events = api.events()[count:]
    assert [e["type"] for e in events] == ["crm.task.updated"]
    assert changes_of(events[0]) == [
        ("title", "Send the offer", "Call about the offer"), ("type", "Email", "Call"), ("status", "To do", "In progress"),
        ("start", None, "2026-12-03T09:00:00+01:00"), ("end", None, "2026-12-03T09:30:00+01:00"),
        ("due", "2026-12-02T10:00:00+01:00", None), ("responsible", "Ann Author", CID), ("members", [], [BOB]),
        ("priority", "normal", "high"), ("private", False, True), ("reminders", [], [15]),
        ("rrule", None, "FREQ=WEEKLY;BYDAY=WE"), ("description", None, "Bring numbers"),
    ]
    state = events[0]["data"]["state"]
    assert state["type_name"] == "Call" and state["responsible_id"] == CID and state["links"] == []


def test_lists_filter_by_the_contract_s_fields_and_page_with_a_cursor(api: Api) -> None:
    call = api.type_id("Call")
    person = api.known("person", "44444444-4444-4444-4444-444444444444")
    early = api.task(due="2026-12-02T10:00:00+01:00", links=[{"type": "person", "id": person}])
    late = api.task(type_id=call, due="2026-12-20T10:00:00+01:00")
    api.task(responsible_id=CID)
    api.ok("POST", f"/tasks/{late['id']}/complete", json={})

    def ids(query: str) -> list[str]:
        return [item["id"] for item in api.ok("GET", f"/tasks?{query}")["items"]]

    assert ids(f"type_id={call}") == [late["id"]]
    assert ids("done=true") == [late["id"]]
    assert ids("due_from=2026-12-01T00:00:00%2B00:00&due_to=2026-12-10T00:00:00%2B00:00") == [early["id"]]
    assert ids(f"link_type=person&link_id={person}") == [early["id"]]
    assert len(ids(f"responsible_id={CID}")) == 1
    first = api.ok("GET", "/tasks?limit=2")
    assert len(first["items"]) == 2 and first["next_cursor"]
    rest = api.ok("GET", f"/tasks?limit=2&cursor={first['next_cursor']}")
    assert len(rest["items"]) == 1 and rest["next_cursor"] is None
    assert api.call("GET", "/tasks?cursor=garbage").status_code == 422


def test_a_comment_is_an_event_naming_the_responsible_user_and_lists_oldest_first(api: Api) -> None:
    task = api.task(responsible_id=CID)
    comment = api.ok("POST", f"/tasks/{task['id']}/comments", 201, json={"text": "Called, no answer"})
    assert comment["author_name"] == "Ann Author"
    event = api.events()[-1]
    assert event["type"] == "crm.task.commented" and event["data"]["responsible_id"] == CID
    api.ok("POST", f"/tasks/{task['id']}/comments", 201, json={"text": "Called again"}, headers=AS_CID)
    assert [c["text"] for c in api.ok("GET", f"/tasks/{task['id']}/comments")["items"]] == [
        "Called, no answer", "Called again"]
