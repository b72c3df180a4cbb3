"""The tasks consumer: copies of contacts and deals validate and name links; merges move them, deletions
remove them; a won or lost deal gets its process's post-sale template exactly once per close."""
from __future__ import annotations

import uuid

from crm_shared.changes import Change

from .conftest import AS_ADMIN, AS_ANN, AS_BOB, AS_CID, ANN, CID, Api, changes_of
from .record_events import handle, record_event

PERSON = "44444444-4444-4444-4444-444444444444"
OTHER = "55555555-5555-5555-5555-555555555555"
DEAL = "66666666-6666-6666-6666-666666666666"


def test_a_linked_record_is_named_from_its_copy_and_renamed_by_its_events(api: Api) -> None:
    handle(api.engine, record_event("person", PERSON, "created", 1, state={"owner_id": ANN}))
    task = api.task(links=[{"type": "person", "id": PERSON}])
    assert task["links"] == [{"type": "person", "id": PERSON, "name": "Jana Nováková"}]
    handle(api.engine, record_event("person", PERSON, "updated", 2, name="Jana Dvořáková", state={"owner_id": ANN}))
    assert api.ok("GET", f"/tasks/{task['id']}")["links"][0]["name"] == "Jana Dvořáková"


def test_a_link_to_a_record_the_caller_may_not_see_is_refused_exactly_like_one_to_an_unknown_id(api: Api) -> None:
    handle(api.engine, record_event("person", PERSON, "created", 1, state={"owner_id": ANN}),
           record_event("person", OTHER, "deleted", 2, state={"owner_id": ANN}))
    before = len(api.events())
    answers = {}
    for name, record_id in (("invisible", PERSON), ("invisible and deleted", OTHER), ("unknown", str(uuid.uuid4()))):
        answer = api.call("POST", "/tasks", headers=AS_CID, json={
            "title": "x", "type_id": api.type_id("Email"), "links": [{"type": "person", "id": record_id}]})
        answers[name] = (answer.status_code, answer.get_json()["errors"])
    assert answers["invisible"] == answers["invisible and deleted"] == answers["unknown"] == (
        422, {"links.0.id": ["No person with this id."]})
    assert len(api.events()) == before and api.ok("GET", "/tasks", headers=AS_CID)["items"] == []
    # the owner's manager, who may see the person, links it by name
    assert api.task(headers=AS_BOB, links=[{"type": "person", "id": PERSON}])["links"][0]["name"] == "Jana Nováková"


def test_readers_see_the_names_only_of_linked_records_they_may_see(api: Api) -> None:
    handle(api.engine, record_event("person", PERSON, "created", 1, state={"owner_id": ANN}),
           record_event("person", OTHER, "created", 1, name="Cidův", state={"owner_id": CID}))
    task = api.ok("POST", "/tasks", 201, headers=AS_ADMIN, json={
        "title": "x", "type_id": api.type_id("Email"), "responsible_id": CID,
        "links": [{"type": "person", "id": PERSON}]})
    seen = api.ok("GET", f"/tasks/{task['id']}", headers=AS_CID)
    assert seen["links"] == [{"type": "person", "id": PERSON, "name": None}]
    listed = api.ok("GET", "/tasks", headers=AS_CID)["items"]
    assert [link["name"] for item in listed for link in item["links"]] == [None]
    assert api.ok("GET", f"/tasks/{task['id']}", headers=AS_ADMIN)["links"][0]["name"] == "Jana Nováková"


def test_a_merge_moves_the_task_s_link_to_the_target_as_an_audited_automation_for_the_merging_user(
        api: Api) -> None:
    handle(api.engine, record_event("person", OTHER, "created", 1, name="Target", state={"owner_id": ANN}),
           record_event("person", PERSON, "created", 1, state={"owner_id": ANN}))
    task = api.task(links=[{"type": "person", "id": PERSON}])
    handle(api.engine, record_event("person", OTHER, "merged", 2, name="Target", merged_from=[PERSON]))
    assert api.ok("GET", f"/tasks/{task['id']}")["links"] == [{"type": "person", "id": OTHER, "name": "Target"}]
    event = api.events()[-1]
    assert (event["type"], event["actorid"], event["actorchannel"]) == ("crm.task.updated", "u", "automation")
    assert changes_of(event) == [("links", {"type": "person", "id": PERSON, "name": "Jana Nováková"}, None),
                                 ("links", None, {"type": "person", "id": OTHER, "name": "Target"})]
    assert event["data"]["state"]["links"] == [{"type": "person", "id": OTHER, "name": "Target"}]


def test_a_deleted_contact_s_or_deal_s_links_are_removed(api: Api) -> None:
    handle(api.engine, record_event("person", PERSON, "created", 1, state={"owner_id": ANN}),
           record_event("deal", DEAL, "created", 1, name="Big deal", state={"owner_id": ANN}))
    task = api.task(links=[{"type": "person", "id": PERSON}, {"type": "deal", "id": DEAL}])
    handle(api.engine, record_event("person", PERSON, "deleted", 3, state={"owner_id": ANN}),
           record_event("deal", DEAL, "deleted", 2, state={"owner_id": ANN}))
    assert api.ok("GET", f"/tasks/{task['id']}")["links"] == []
    assert [e["type"] for e in api.events()[-2:]] == ["crm.task.updated", "crm.task.updated"]
    refused = api.call("PATCH", f"/tasks/{task['id']}", json={"links": [{"type": "deal", "id": DEAL}]})
    assert refused.status_code == 422 and "links.0.id" in refused.get_json()["errors"]


def _template(api: Api) -> dict:
    return api.ok("POST", "/task-templates", 201, headers=AS_ADMIN, json={"name": "After the sale", "items": [
        {"title": "Thank the customer", "type_id": api.type_id("Email"), "delay_days": 0},
        {"title": "Ask for a review", "type_id": api.type_id("Call"), "delay_days": 14, "responsible_id": CID}]})


def won(sequence: int, template_id: str | None, *, operation: str = "updated") -> object:
    return record_event("deal", DEAL, operation, sequence, name="Big deal",
                        state={"owner_id": ANN, "status": "won", "won_task_template_id": template_id,
                               "lost_task_template_id": None},
                        changes=(Change("status", "open", "won"),))


def test_a_won_deal_gets_its_post_sale_tasks_exactly_once_per_close(api: Api) -> None:
    template = _template(api)
    close = won(3, template["id"])
    handle(api.engine, close)
    handle(api.engine, close)
    tasks = api.ok("GET", f"/tasks?link_type=deal&link_id={DEAL}", headers=AS_ADMIN)["items"]
    assert sorted(t["title"] for t in tasks) == ["Ask for a review", "Thank the customer"]
    by_title = {t["title"]: t for t in tasks}
    assert by_title["Thank the customer"]["responsible_id"] == ANN
    assert by_title["Ask for a review"]["responsible_id"] == CID
    assert {t["created_by"] for t in tasks} == {"u"}  # an automation acting for the user who won the deal
    assert by_title["Thank the customer"]["links"] == [{"type": "deal", "id": DEAL, "name": "Big deal"}]
    assert by_title["Thank the customer"]["due"].endswith("17:00:00+01:00")
    reopened = record_event("deal", DEAL, "updated", 4, name="Big deal", state={"owner_id": ANN, "status": "open"},
                            changes=(Change("status", "won", "open"),))
    handle(api.engine, reopened, won(5, template["id"], operation="won"))
    assert len(api.ok("GET", f"/tasks?link_type=deal&link_id={DEAL}", headers=AS_ADMIN)["items"]) == 4


def test_a_close_without_a_template_or_with_an_unknown_one_creates_nothing(api: Api) -> None:
    handle(api.engine, won(3, None), won(4, str(uuid.uuid4())))
    assert api.ok("GET", "/tasks", headers=AS_ADMIN)["items"] == []


def test_user_events_give_the_audit_the_users_names(api: Api) -> None:
    handle(api.engine, record_event("user", CID, "created", 1, name="Cid Colleague"))
    api.task(responsible_id=CID, headers=AS_ANN)
    assert ("responsible", None, "Cid Colleague") in changes_of(api.events()[-1])


def test_a_failed_login_event_names_no_user(api: Api) -> None:
    handle(api.engine, record_event("user", CID, "login_failed", 1, name="mallory"))
    api.task(responsible_id=CID, headers=AS_ANN)
    assert ("responsible", None, CID) in changes_of(api.events()[-1])
