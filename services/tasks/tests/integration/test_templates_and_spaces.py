"""Task templates (TSK-5) applied with computed due dates, and spaces."""
from __future__ import annotations

from .conftest import AS_ADMIN, AS_ANN, CID, Api

PERSON = "44444444-4444-4444-4444-444444444444"


def test_applying_a_template_creates_its_tasks_due_at_17_00_on_the_base_date_plus_each_delay(api: Api) -> None:
    template = api.ok("POST", "/task-templates", 201, json={"name": "Onboarding", "items": [
        {"title": "Welcome mail", "type_id": api.type_id("Email"), "delay_days": 0},
        {"title": "First call", "type_id": api.type_id("Call"), "delay_days": 3, "responsible_id": CID},
        {"title": "Review", "type_id": api.type_id("Meeting"), "delay_days": 30}]})
    assert api.events()[-1]["type"] == "crm.task_template.created"
    api.known("person", PERSON)
    applied = api.ok("POST", f"/task-templates/{template['id']}/apply", 201,
                     json={"target": {"type": "person", "id": PERSON}, "base_date": "2026-10-20"})["items"]
    assert [(t["title"], t["due"], t["responsible_id"]) for t in applied] == [
        ("Welcome mail", "2026-10-20T17:00:00+02:00", api.ok("GET", "/tasks")["items"][0]["created_by"]),
        ("First call", "2026-10-23T17:00:00+02:00", CID),
        ("Review", "2026-11-19T17:00:00+01:00", applied[0]["created_by"]),
    ]
    assert all(t["links"] == [{"type": "person", "id": PERSON, "name": "Jana Nováková"}] for t in applied)
    assert [e["type"] for e in api.events()[-3:]] == ["crm.task.created"] * 3


def test_a_template_with_an_unknown_type_is_refused_and_a_used_type_stays(api: Api) -> None:
    bad = api.call("POST", "/task-templates", json={"name": "x", "items": [
        {"title": "t", "type_id": "99999999-9999-9999-9999-999999999999", "delay_days": 1}]})
    assert bad.status_code == 422 and "items.0.type_id" in bad.get_json()["errors"]
    offer = api.type_id("Offer")
    template = api.ok("POST", "/task-templates", 201, json={"name": "x", "items": [
        {"title": "t", "type_id": offer, "delay_days": 1}]})
    assert api.call("DELETE", f"/task-types/{offer}", headers=AS_ADMIN).status_code == 409
    renamed = api.ok("PATCH", f"/task-templates/{template['id']}", json={"name": "Renamed"})
    assert renamed["version"] == 2 and api.ok("GET", f"/task-templates/{template['id']}")["name"] == "Renamed"
    assert api.call("DELETE", f"/task-templates/{template['id']}").status_code == 204
    assert api.call("GET", f"/task-templates/{template['id']}").status_code == 404


def test_a_space_has_a_name_and_members_and_tasks_link_it_by_name(api: Api) -> None:
    space = api.ok("POST", "/spaces", 201, json={"name": "Trade fair"})
    assert space["member_ids"] == [api.ok("GET", f"/spaces/{space['id']}")["created_by"]]
    assert api.events()[-1]["type"] == "crm.space.created"
    changed = api.ok("PATCH", f"/spaces/{space['id']}", json={"member_ids": [CID]})
    assert changed["member_ids"] == [CID]
    task = api.task(links=[{"type": "space", "id": space["id"]}])
    assert task["links"] == [{"type": "space", "id": space["id"], "name": "Trade fair"}]
    missing = api.call("POST", "/tasks", json={"title": "x", "type_id": api.type_id("Email"),
                                              "links": [{"type": "space", "id": CID}]})
    assert missing.status_code == 422 and "links.0.id" in missing.get_json()["errors"]
    assert [s["name"] for s in api.ok("GET", "/spaces", headers=AS_ANN)["items"]] == ["Trade fair"]


def test_a_template_applied_to_a_record_the_caller_may_not_see_is_refused_like_an_unknown_one(api: Api) -> None:
    template = api.ok("POST", "/task-templates", 201, json={"name": "One step", "items": [
        {"title": "Welcome mail", "type_id": api.type_id("Email"), "delay_days": 0}]})
    theirs = api.known("person", PERSON, owner_id=CID)
    before = len(api.events())
    answers = [api.call("POST", f"/task-templates/{template['id']}/apply", json={"target": {"type": "person", "id": i}})
               for i in (theirs, "77777777-7777-7777-7777-777777777777")]
    assert [a.status_code for a in answers] == [422, 422]
    assert answers[0].get_json()["errors"] == answers[1].get_json()["errors"] == {
        "target.id": ["No person with this id."]}
    assert len(api.events()) == before
