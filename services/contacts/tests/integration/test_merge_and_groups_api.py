"""Merging contacts and grouping them over HTTP, with the events other services rely on."""
from __future__ import annotations

from typing import Any

ContactsApi = Any


def changes_of(event: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
    return {c["field"]: (c["before"], c["after"]) for c in event["data"]["changes"]}


def test_a_dry_run_merge_answers_the_result_and_writes_nothing(contacts: ContactsApi) -> None:
    target = contacts.create("/persons", last_name="Nová", emails=["a@x.cz"])
    source = contacts.create("/persons", last_name="Nováková", emails=["b@x.cz"], position="CEO")
    answer = contacts.call("POST", f"/persons/{target['id']}/merge",
                           json={"source_id": source["id"], "dry_run": True, "prefer_source": ["last_name"]})
    assert answer.status_code == 200, answer.get_json()
    result = answer.get_json()
    assert result["dry_run"] is True
    assert result["target"]["emails"] == ["a@x.cz", "b@x.cz"] and result["target"]["last_name"] == "Nováková"
    assert {c["field"] for c in result["changes"]} == {"last_name", "emails", "position"}
    assert len(contacts.events()) == 2
    assert contacts.call("GET", f"/persons/{source['id']}").status_code == 200
    assert contacts.call("GET", f"/persons/{target['id']}").get_json()["version"] == 1


def test_a_merge_leaves_one_record_and_events_naming_both_ids(contacts: ContactsApi) -> None:
    target = contacts.create("/persons", last_name="Nová", tags=["vip"])
    source = contacts.create("/persons", last_name="Nováková", tags=["b2b"], phones=["+420 222"])
    answer = contacts.call("POST", f"/persons/{target['id']}/merge", json={"source_id": source["id"]})
    assert answer.status_code == 200
    merged = contacts.call("GET", f"/persons/{target['id']}").get_json()
    assert merged["tags"] == ["vip", "b2b"] and merged["phones"] == ["+420 222"]
    assert contacts.call("GET", f"/persons/{source['id']}").status_code == 404
    merged_event, deleted_event = contacts.events()[-2:]
    assert merged_event["type"] == "crm.person.merged"
    assert merged_event["data"]["merged_from"] == [source["id"]]
    assert changes_of(merged_event) == {"tags": (["vip"], ["vip", "b2b"]), "phones": ([], ["+420 222"])}
    assert deleted_event["type"] == "crm.person.deleted"
    assert deleted_event["subject"] == source["id"] and deleted_event["data"]["merged_into"] == target["id"]
    assert deleted_event["sequence"] == 2  # one past the source's last version


def test_merging_companies_moves_their_persons_and_kinds_never_mix(contacts: ContactsApi) -> None:
    target = contacts.create("/companies", name="ACME")
    source = contacts.create("/companies", name="ACME old")
    person = contacts.create("/persons", last_name="Nová", company_id=source["id"])
    mixed = contacts.call("POST", f"/companies/{target['id']}/merge", json={"source_id": person["id"]})
    assert mixed.status_code == 422 and "source_id" in mixed.get_json()["errors"]
    merge = f"/companies/{target['id']}/merge"
    assert contacts.call("POST", merge, json={"source_id": source["id"]}).status_code == 200
    assert contacts.call("GET", f"/persons/{person['id']}").get_json()["company_id"] == target["id"]
    assert contacts.call("POST", merge, json={"source_id": target["id"]}).status_code == 422


def test_joining_and_leaving_a_group_are_updates_of_the_contacts_groups(contacts: ContactsApi) -> None:
    group = contacts.create("/groups", name="Newsletter 2026")
    assert contacts.last_event()["type"] == "crm.group.created"
    person = contacts.create("/persons", last_name="Nová")
    other = contacts.create("/persons", last_name="Dvořák")
    joined = contacts.call("POST", f"/groups/{group['id']}/members", json={"kind": "person", "id": person["id"]})
    assert joined.status_code == 200 and joined.get_json()["groups"] == [group["id"]]
    assert changes_of(contacts.last_event()) == {"groups": ([], [group["id"]])}
    count = len(contacts.events())
    contacts.call("POST", f"/groups/{group['id']}/members", json={"kind": "person", "id": person["id"]})
    assert len(contacts.events()) == count
    listed = contacts.call("GET", f"/persons?group_id={group['id']}").get_json()["items"]
    assert [item["id"] for item in listed] == [person["id"]]
    members = contacts.call("GET", f"/groups/{group['id']}/members").get_json()["items"]
    assert [m["id"] for m in members] == [person["id"]]
    assert contacts.call("PATCH", f"/persons/{other['id']}", json={"groups": [group["id"]]}).status_code == 200

    left = contacts.call("DELETE", f"/groups/{group['id']}/members/person/{person['id']}")
    assert left.status_code == 204
    assert changes_of(contacts.last_event()) == {"groups": ([group["id"]], [])}
    assert contacts.call("DELETE", f"/groups/{group['id']}").status_code == 204
    assert contacts.call("GET", f"/persons/{other['id']}").get_json()["groups"] == []
    assert [e["type"] for e in contacts.events()[-2:]] == ["crm.person.updated", "crm.group.deleted"]
    unknown = contacts.call("PATCH", f"/persons/{other['id']}", json={"groups": [group["id"]]})
    assert unknown.status_code == 422 and "groups" in unknown.get_json()["errors"]


def test_tags_are_updates_with_before_and_after_and_filter_lists(contacts: ContactsApi) -> None:
    person = contacts.create("/persons", last_name="Nová", tags=["vip"])
    contacts.call("PATCH", f"/persons/{person['id']}", json={"tags": ["vip", "b2b"]})
    assert changes_of(contacts.last_event()) == {"tags": (["vip"], ["vip", "b2b"])}
    assert [i["id"] for i in contacts.call("GET", "/persons?tag=b2b").get_json()["items"]] == [person["id"]]
