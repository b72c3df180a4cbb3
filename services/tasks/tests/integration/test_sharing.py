"""Sharing (TSK-7) enforced on every read, list, write, comment and feed; the private rule."""
from __future__ import annotations

import icalendar
import pytest

from .conftest import AS_ADMIN, AS_ANN, AS_BOB, AS_CID, CID, Api


def visible_ids(api: Api, headers: dict[str, str]) -> list[str]:
    return [item["id"] for item in api.ok("GET", "/tasks", headers=headers)["items"]]


def test_without_a_share_another_user_s_task_is_missing_everywhere(api: Api) -> None:
    task = api.task()
    for method, path, body in (("GET", "", None), ("PATCH", "", {"title": "x"}), ("DELETE", "", None),
                               ("GET", "/comments", None), ("POST", "/comments", {"text": "hi"}),
                               ("POST", "/complete", {})):
        assert api.call(method, f"/tasks/{task['id']}{path}", json=body, headers=AS_CID).status_code == 404
    assert visible_ids(api, AS_CID) == []


def test_free_busy_shows_only_the_time_slot(api: Api) -> None:
    task = api.task(start="2026-12-02T09:00:00+01:00", end="2026-12-02T10:00:00+01:00", description="secret")
    api.ok("PUT", f"/task-sharing/{CID}", json={"level": "free_busy"})
    seen = api.ok("GET", f"/tasks/{task['id']}", headers=AS_CID)
    assert seen == {"id": task["id"], "start": task["start"], "end": task["end"], "due": None, "busy": True}
    assert api.ok("GET", "/tasks", headers=AS_CID)["items"] == [seen]
    assert api.call("GET", f"/tasks/{task['id']}/comments", headers=AS_CID).status_code == 403
    assert api.call("PATCH", f"/tasks/{task['id']}", json={"title": "x"}, headers=AS_CID).status_code == 403


def test_read_reads_but_only_full_changes_and_comments(api: Api) -> None:
    task = api.task()
    api.ok("PUT", f"/task-sharing/{CID}", json={"level": "read"})
    assert api.ok("GET", f"/tasks/{task['id']}", headers=AS_CID)["access"] == "read"
    assert api.call("PATCH", f"/tasks/{task['id']}", json={"title": "x"}, headers=AS_CID).status_code == 403
    assert api.call("POST", f"/tasks/{task['id']}/comments", json={"text": "hi"}, headers=AS_CID).status_code == 403
    api.ok("PUT", f"/task-sharing/{CID}", json={"level": "full"})
    assert api.ok("PATCH", f"/tasks/{task['id']}", json={"title": "Changed by Cid"}, headers=AS_CID)["version"] == 2
    api.ok("POST", f"/tasks/{task['id']}/comments", 201, json={"text": "hi"}, headers=AS_CID)
    assert api.ok("GET", "/task-sharing")["items"] == [{"user_id": CID, "level": "full", "per_type": {}}]


def test_a_per_type_level_wins_over_the_general_one(api: Api) -> None:
    email, call = api.type_id("Email"), api.type_id("Call")
    mail_task, call_task = api.task(), api.task(type_id=call)
    api.ok("PUT", f"/task-sharing/{CID}", json={"level": "read", "per_type": {call: "none"}})
    assert visible_ids(api, AS_CID) == [mail_task["id"]]
    assert api.call("GET", f"/tasks/{call_task['id']}", headers=AS_CID).status_code == 404
    api.ok("PUT", f"/task-sharing/{CID}", json={"level": "none", "per_type": {call: "read", email: "none"}})
    assert visible_ids(api, AS_CID) == [call_task["id"]]
    unknown = api.call("PUT", f"/task-sharing/{CID}", json={"level": "read",
                                                             "per_type": {"99999999-9999-9999-9999-999999999999": "read"}})
    assert unknown.status_code == 422


@pytest.mark.parametrize("viewer", [AS_CID, AS_BOB, AS_ADMIN], ids=["shared-full", "manager", "admin"])
def test_a_private_task_is_seen_only_by_its_author_responsible_user_and_members(api: Api, viewer: dict) -> None:
    api.ok("PUT", f"/task-sharing/{CID}", json={"level": "full"})
    private = api.task(private=True)
    public = api.task()
    assert api.call("GET", f"/tasks/{private['id']}", headers=viewer).status_code == 404
    assert visible_ids(api, viewer) == [public["id"]]
    member_view = api.task(private=True, member_ids=[CID])
    assert api.ok("GET", f"/tasks/{member_view['id']}", headers=AS_CID)["access"] == "full"


def test_a_manager_and_an_admin_have_full_access_to_the_team_s_tasks(api: Api) -> None:
    task = api.task()
    assert api.ok("GET", f"/tasks/{task['id']}", headers=AS_BOB)["access"] == "full"
    assert api.ok("PATCH", f"/tasks/{task['id']}", json={"priority": "high"}, headers=AS_ADMIN)["priority"] == "high"


def test_the_calendar_feed_is_read_without_a_token_holds_the_user_s_tasks_and_rotates(api: Api) -> None:
    mine = api.task(title="My call", due="2026-12-02T10:00:00+01:00")
    api.task(title="Cid's own", due="2026-12-03T10:00:00+01:00", headers=AS_CID)
    feed = api.ok("POST", "/tasks/feed", 201, json={})
    assert feed["path"].startswith("/api/v1/task-feed/") and feed["path"].endswith(".ics")
    response = api.client.get(feed["path"])
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    calendar = icalendar.Calendar.from_ical(response.data)
    assert [str(item["SUMMARY"]) for item in calendar.walk("VTODO")] == ["My call"]
    assert str(calendar.walk("VTODO")[0]["UID"]).startswith(mine["id"])
    again = api.ok("POST", "/tasks/feed", 201, json={})
    assert api.client.get(feed["path"]).status_code == 404
    assert api.client.get(again["path"]).status_code == 200
    assert api.client.get("/api/v1/task-feed/not-a-secret.ics").status_code == 404
    assert api.client.post("/api/v1/tasks/feed", json={}).status_code == 401
