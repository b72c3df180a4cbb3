"""Through the gateway: task types and suggestions, templates, sharing and privacy as a second user sees
them, links moved by a merge and blocking a delete, the audit of each change, the calendar feed, bad input."""
from __future__ import annotations

import time
from datetime import datetime, timedelta
from typing import Any

import icalendar
import pytest
import requests

from crm_suite.testing import Client, RunningSuite, wait_for

pytestmark = pytest.mark.e2e


def type_id(client: Client, name: str) -> str:
    return next(t["id"] for t in client.get("/task-types").json()["items"] if t["name"] == name)


def entries_of(client: Client, object_id: str, count: int) -> list[dict[str, Any]]:
    found = wait_for(lambda: (items := client.audit_entries(object_id=object_id)) and len(items) >= count and items,
                     timeout=30)
    return list(reversed(found))  # type: ignore[arg-type]


def test_a_type_s_rule_suggests_the_next_task_due_at_completion_plus_the_delay(suite: RunningSuite) -> None:
    admin = suite.client()
    rule_type = admin.created("/task-types", {"name": f"Offer {time.monotonic_ns()}", "suggest_next": None})
    call = type_id(admin, "Call")
    admin.patch(f"/task-types/{rule_type['id']}",
                json={"suggest_next": {"type_id": call, "title": "Follow up", "delay_minutes": 90}}).raise_for_status()
    task = admin.created("/tasks", {"title": "Send the offer", "type_id": rule_type["id"]})
    done = admin.post(f"/tasks/{task['id']}/complete", json={}).json()
    done_at = datetime.fromisoformat(done["task"]["done_at"])
    assert done["suggestion"]["type_id"] == call
    assert datetime.fromisoformat(done["suggestion"]["due"]) == done_at + timedelta(minutes=90)
    next_task = admin.created(f"/tasks/{task['id']}/suggestion", {})
    assert (next_task["title"], next_task["type_id"]) == ("Follow up", call)
    assert datetime.fromisoformat(next_task["due"]) == done_at + timedelta(minutes=90)
    assert admin.delete(f"/task-types/{rule_type['id']}").status_code == 409


def test_a_template_applied_to_a_company_creates_its_tasks_with_the_right_due_dates(suite: RunningSuite) -> None:
    admin = suite.client()
    acme = admin.created("/companies", {"name": "Acme s.r.o."})
    template = admin.created("/task-templates", {"name": "New customer", "items": [
        {"title": "Welcome", "type_id": type_id(admin, "Email"), "delay_days": 1},
        {"title": "Visit", "type_id": type_id(admin, "Meeting"), "delay_days": 7}]})
    items = admin.created_linking(f"/task-templates/{template['id']}/apply",
                    {"target": {"type": "company", "id": acme["id"]}, "base_date": "2027-03-25"})["items"]
    assert [(t["title"], t["due"]) for t in items] == [
        ("Welcome", "2027-03-26T17:00:00+01:00"), ("Visit", "2027-04-01T17:00:00+02:00")]
    assert items[0]["links"] == [{"type": "company", "id": acme["id"], "name": "Acme s.r.o."}]


def test_every_sharing_level_and_the_private_rule_as_a_second_user_sees_them(suite: RunningSuite) -> None:
    ann, _ = suite.new_user(prefix="tasks")
    cid, cid_user = suite.new_user(prefix="tasks")
    call = type_id(ann, "Call")
    slot = ann.created("/tasks", {"title": "Dentist", "type_id": type_id(ann, "Meeting"),
                                   "start": "2027-01-05T09:00:00+01:00", "end": "2027-01-05T10:00:00+01:00"})
    private = ann.created("/tasks", {"title": "Secret", "type_id": call, "private": True})
    path = f"/tasks/{slot['id']}"

    def share(level: str, **per_type: str) -> None:
        ann.request("PUT", f"/task-sharing/{cid_user['id']}", json={"level": level, "per_type": per_type}
                    ).raise_for_status()

    assert cid.get(path).status_code == 404
    assert cid.get("/tasks").json()["items"] == []
    share("free_busy")
    assert cid.get(path).json() == {"id": slot["id"], "start": slot["start"], "end": slot["end"], "due": None,
                                    "busy": True}
    share("read")
    assert cid.get(path).json()["title"] == "Dentist"
    assert cid.patch(path, json={"title": "x"}).status_code == 403
    share("full")
    assert cid.patch(path, json={"title": "Dentist (moved)"}).json()["title"] == "Dentist (moved)"
    assert cid.post(f"{path}/comments", json={"text": "Moved it"}).status_code == 201
    assert cid.get(f"/tasks/{private['id']}").status_code == 404
    assert [t["id"] for t in cid.get("/tasks").json()["items"]] == [slot["id"]]
    share("none", **{type_id(ann, "Meeting"): "read"})
    assert cid.get(path).json()["access"] == "read"
    assert suite.client().get(f"/tasks/{private['id']}").status_code == 404  # not even the admin
    assert ann.get("/task-sharing").json()["items"][0]["user_id"] == cid_user["id"]


def test_a_merge_moves_a_task_link_and_a_linked_person_cannot_be_deleted(suite: RunningSuite) -> None:
    admin = suite.client()
    source = admin.created("/persons", {"first_name": "Jana", "last_name": "Dvojnice"})
    target = admin.created("/persons", {"first_name": "Jana", "last_name": "Nováková"})
    task = admin.created_linking("/tasks", {"title": "Call Jana", "type_id": type_id(admin, "Call"),
                                     "links": [{"type": "person", "id": source["id"]}]})
    wait_for(lambda: task["id"] in [link["id"] for link in admin.get(f"/persons/{source['id']}/links").json()["items"]],
             timeout=30)
    blocked = admin.delete(f"/persons/{source['id']}")
    assert blocked.status_code == 409, blocked.text
    assert task["id"] in [link["id"] for link in blocked.json()["links"]]
    merged = admin.post(f"/persons/{target['id']}/merge", json={"source_id": source["id"]})
    assert merged.status_code == 200, merged.text
    moved = wait_for(lambda: (t := admin.get(f"/tasks/{task['id']}").json())["links"][0]["id"] == target["id"] and t,
                     timeout=30)
    assert moved["links"] == [{"type": "person", "id": target["id"], "name": "Jana Nováková"}]  # type: ignore[index]
    entries = entries_of(admin, task["id"], 2)
    # the link moves for the admin who merged, by automation
    assert (entries[-1]["user"]["id"], entries[-1]["channel"]) == (admin.get("/auth/me").json()["id"], "automation")


def test_the_audit_log_shows_each_change_of_a_task_with_exact_before_and_after(suite: RunningSuite) -> None:
    admin = suite.client()
    bob_client, bob = suite.new_user(prefix="tasks")
    bob_client.created("/tasks", {"title": "Bob's own", "type_id": type_id(bob_client, "Email")})  # his name is known
    task = admin.created("/tasks", {"title": "Offer", "type_id": type_id(admin, "Email"),
                                     "due": "2027-02-01T12:00:00+01:00"})
    path = f"/tasks/{task['id']}"
    steps = [
        {"title": "Offer v2"}, {"type_id": type_id(admin, "Call")},
        {"start": "2027-02-02T09:00:00+01:00", "end": "2027-02-02T10:00:00+01:00"},
        {"responsible_id": bob["id"]}, {"member_ids": [bob["id"]]}, {"reminders": [30]},
        {"rrule": "FREQ=MONTHLY;BYMONTHDAY=2"}, {"private": True}, {"priority": "high"},
    ]
    for body in steps:
        response = admin.patch(path, json=body)
        assert response.status_code == 200, (body, response.text)
    admin.post(f"{path}/complete", json={}).raise_for_status()
    entries = entries_of(admin, task["id"], 11)
    assert [e["operation"] for e in entries] == ["created"] + ["updated"] * 9 + ["completed"]
    changes = [[(c["field"], c["before"], c["after"]) for c in e["changes"]] for e in entries[1:]]
    assert changes == [
        [("title", "Offer", "Offer v2")], [("type", "Email", "Call")],
        [("start", None, "2027-02-02T09:00:00+01:00"), ("end", None, "2027-02-02T10:00:00+01:00"),
         ("due", "2027-02-01T12:00:00+01:00", None)],
        [("responsible", entries[0]["user"]["name"], bob["name"])],
        [("members", [], [bob["name"]])], [("reminders", [], [30])],
        [("rrule", None, "FREQ=MONTHLY;BYMONTHDAY=2")], [("private", False, True)], [("priority", "normal", "high")],
        [("done", False, True)],
    ]


def test_the_calendar_feed_holds_only_the_user_s_tasks_and_needs_no_token(suite: RunningSuite) -> None:
    ann, _ = suite.new_user(prefix="tasks")
    cid, _ = suite.new_user(prefix="tasks")
    ann.created("/tasks", {"title": "Ann's deadline", "type_id": type_id(ann, "Email"),
                            "due": "2027-01-10T12:00:00+01:00"})
    ann.created("/tasks", {"title": "Ann's meeting", "type_id": type_id(ann, "Meeting"),
                            "start": "2027-01-11T09:00:00+01:00", "end": "2027-01-11T10:00:00+01:00"})
    cid.created("/tasks", {"title": "Cid's task", "type_id": type_id(cid, "Email")})
    feed = ann.created("/tasks/feed", {})
    url = f"{suite.gateway}{feed['path']}"
    calendar = icalendar.Calendar.from_ical(requests.get(url, timeout=10).content)
    titles = sorted(str(c["SUMMARY"]) for c in calendar.walk() if c.name in ("VEVENT", "VTODO"))
    assert titles == ["Ann's deadline", "Ann's meeting"]
    ann.created("/tasks/feed", {})
    assert requests.get(url, timeout=10).status_code == 404


def test_bad_input_is_a_422_naming_the_field_and_leaves_no_task_and_no_event(suite: RunningSuite) -> None:
    admin = suite.client()
    cid, cid_user = suite.new_user(prefix="tasks")
    email = type_id(cid, "Email")
    hidden = admin.created("/persons", {"first_name": "Hidden", "last_name": "Person"})
    admin.created_linking("/tasks", {"title": "Admin's", "type_id": email, "links": [{"type": "person", "id": hidden["id"]}]})
    cases = {
        "type_id": {"title": "x", "type_id": "99999999-9999-4999-8999-999999999999"},
        "end": {"title": "x", "type_id": email, "start": "2027-01-05T10:00:00+01:00",
                "end": "2027-01-05T09:00:00+01:00"},
        "rrule": {"title": "x", "type_id": email, "due": "2027-01-05T10:00:00+01:00", "rrule": "FREQ=NEVER"},
        "links.0.id": {"title": "x", "type_id": email, "links": [{"type": "person", "id": hidden["id"]}]},
        "colour": {"title": "x", "type_id": email, "colour": "red"},
    }
    for field, body in cases.items():
        response = cid.post("/tasks", json=body)
        assert response.status_code == 422, (field, response.text)
        assert field in response.json()["errors"], (field, response.json())
    good = cid.created("/tasks", {"title": "The one good task", "type_id": email})
    entries_of(admin, good["id"], 1)
    assert [t["id"] for t in cid.get("/tasks").json()["items"]] == [good["id"]]
    assert [e["object_id"] for e in admin.audit_entries(user_id=cid_user["id"], object_type="task")] == [good["id"]]


def test_a_won_deal_gets_its_process_s_post_sale_tasks_once_per_close(suite: RunningSuite) -> None:
    admin = suite.client()
    won_template = admin.created("/task-templates", {"name": f"Won {time.monotonic_ns()}", "items": [
        {"title": "Thank the customer", "type_id": type_id(admin, "Email"), "delay_days": 0},
        {"title": "Ask for a review", "type_id": type_id(admin, "Call"), "delay_days": 14}]})
    lost_template = admin.created("/task-templates", {"name": f"Lost {time.monotonic_ns()}", "items": [
        {"title": "Ask why", "type_id": type_id(admin, "Call"), "delay_days": 2}]})
    process = admin.created("/processes", {"name": f"Post-sale {time.monotonic_ns()}", "stages": [{"name": "Lead"}],
                                            "won_task_template_id": won_template["id"],
                                            "lost_task_template_id": lost_template["id"]})
    deal = admin.created("/deals", {"name": "Fleet", "value": "10.00", "currency": "CZK", "process_id": process["id"]})

    def titles(count: int) -> list[str]:
        found = wait_for(lambda: len(items := admin.get(
            "/tasks", params={"link_type": "deal", "link_id": deal["id"], "limit": 50}).json()["items"]) >= count
            and items, timeout=30)
        return sorted(task["title"] for task in found)  # type: ignore[union-attr]

    admin.post(f"/deals/{deal['id']}/won").raise_for_status()
    assert titles(2) == ["Ask for a review", "Thank the customer"]
    # the same closing event (an update of the status) delivered again: the consumer's inbox makes it a no-op
    assert suite.redeliver("deals", "crm.deal.updated", deal["id"]) == 1
    wait_for(lambda: suite.redeliver("deals", "crm.deal.updated", deal["id"]) == 1, timeout=30)  # published again
    time.sleep(1)
    assert titles(2) == ["Ask for a review", "Thank the customer"]
    first = admin.get("/tasks", params={"link_type": "deal", "link_id": deal["id"]}).json()["items"]
    me = admin.get("/auth/me").json()
    assert {task["created_by"] for task in first} == {me["id"]}  # an automation acting for who won it
    created = entries_of(admin, first[0]["id"], 1)[0]
    assert (created["operation"], created["user"]["id"], created["channel"]) == ("created", me["id"], "automation")
    assert {task["responsible_id"] for task in first} == {deal["owner_id"]}
    assert all(task["due"].endswith("T17:00:00+01:00") or task["due"].endswith("T17:00:00+02:00") for task in first)
    admin.post(f"/deals/{deal['id']}/reopen", json={}).raise_for_status()
    admin.post(f"/deals/{deal['id']}/lost", json={"reason": "Budget"}).raise_for_status()
    assert titles(3) == ["Ask for a review", "Ask why", "Thank the customer"]
    time.sleep(1)  # a second delivery, or a late duplicate, would show up here
    assert len(admin.get("/tasks", params={"link_type": "deal", "link_id": deal["id"]}).json()["items"]) == 3
