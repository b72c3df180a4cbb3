"""The interactions API on SQLite and PostgreSQL: templates copied and overridden, groups, the log, inbound,
bad input, visibility."""
from __future__ import annotations

import uuid
from dataclasses import replace

import pytest

from crm_shared.rules import StateConflict

from crm_interactions.adapters import tables
from crm_interactions.adapters.catalog import TemplateRepository

from .conftest import ANN, AS_ADMIN, AS_BOB, AS_CID, BOB, Api, changes_of


def test_a_template_s_settings_are_copied_onto_the_entry_and_each_may_be_overridden(api: Api) -> None:
    template = api.template(code="call", unit_cost="12.50", unit_duration_minutes=15)
    person = api.person()
    copied = api.log(template["id"], person)["items"][0]
    assert (copied["template_code"], copied["method"], copied["initiated_by"], copied["cost"],
            copied["duration_minutes"], copied["description"]) == ("CALL", "phone", "us", "12.50", 15, "Phone call")
    assert copied["contact"] == {"type": "person", "id": person, "name": "Jana Nováková", "deleted": False}
    assert (copied["user"], copied["source"], copied["status"], copied["version"]) == (
        {"id": ANN, "name": "Ann Author"}, "manual", "logged", 1)
    overridden = api.log(template["id"], person, method="meeting", cost="0.10", duration_minutes=90,
                         description="Met at the fair", occurred_at="2026-11-30T10:00:00+01:00")["items"][0]
    assert (overridden["method"], overridden["cost"], overridden["duration_minutes"], overridden["description"],
            overridden["occurred_at"]) == ("meeting", "0.10", 90, "Met at the fair", "2026-11-30T09:00:00+00:00")
    api.ok("PATCH", f"/interaction-templates/{template['id']}", json={"unit_cost": "99"})
    assert api.ok("GET", f"/interactions/{copied['id']}")["cost"] == "12.50"
    event = api.events()[-2]
    assert (event["type"], event["sequence"], event["data"]["state"]["cost"]) == ("crm.interaction.created", 1, "0.10")
    assert "Jana" not in event["data"]["object_name"]


def test_a_group_is_logged_as_one_entry_per_member_at_that_moment(api: Api) -> None:
    group = str(uuid.uuid4())
    api.hear("crm.group.created", group, 1, {"id": group, "name": "Newsletter"})
    members = [api.person(f"Member {n}", groups=[group]) for n in range(3)]
    api.person("Not in it")
    template = api.template()
    items = api.ok("POST", "/interactions", 201, json={"template_id": template["id"], "group_id": group})["items"]
    assert sorted(item["contact"]["id"] for item in items) == sorted(members)
    assert {item["source"] for item in items} == {"segment"}
    api.person("Member 0", sequence=2, person_id=members[0], groups=[])
    again = api.ok("POST", "/interactions", 201, json={"template_id": template["id"], "group_id": group})["items"]
    assert len(again) == 2


def test_cancel_restore_and_delete_canceled_leave_every_other_entry(api: Api) -> None:
    template, person = api.template(), api.person()
    first, second, third = (api.log(template["id"], person)["items"][0]["id"] for _ in range(3))
    assert api.ok("POST", f"/interactions/{first}/cancel")["status"] == "canceled"
    assert api.call("POST", f"/interactions/{first}/cancel").status_code == 409
    api.ok("POST", f"/interactions/{second}/cancel")
    assert api.ok("POST", f"/interactions/{second}/restore")["status"] == "logged"
    api.ok("POST", f"/interactions/{third}/cancel")
    dry = api.ok("POST", "/interactions/delete-canceled", json={"contact_id": person, "dry_run": True})
    assert (dry["deleted"], api.count(tables.interactions)) == (2, 3)
    assert api.call("POST", "/interactions/delete-canceled", json={"ids": [first, second]}).status_code == 409
    assert api.call("DELETE", f"/interactions/{second}").status_code == 409
    assert api.call("POST", "/interactions/delete-canceled", json={"status": "logged"}).status_code == 422
    done = api.ok("POST", "/interactions/delete-canceled", json={"contact_id": person})
    assert sorted(done["ids"]) == sorted([first, third])
    assert [e["id"] for e in api.ok("GET", "/interactions")["items"]] == [second]
    events = api.events()
    assert [e["type"] for e in events[-3:]] == ["crm.interaction.deleted"] * 2 + ["crm.interaction_batch.deleted"]
    assert sorted(events[-1]["data"]["state"]["entry_ids"]) == sorted([first, third])


def test_the_log_filters_by_contact_template_user_date_status_and_processed(api: Api) -> None:
    call, visit = api.template(), api.template(method="meeting")
    jana, petr = api.person(), api.person("Petr Novák")
    api.log(call["id"], jana, occurred_at="2026-01-10T10:00:00+00:00")
    api.log(visit["id"], petr, occurred_at="2026-02-10T10:00:00+00:00")
    api.ok("POST", "/interactions/inbound", 201, json={"kind": "missed_call", "contact": {"type": "person", "id": petr}})

    def ids(**params: str) -> int:
        return len(api.ok("GET", "/interactions", query_string=params)["items"])

    assert (ids(contact_id=jana), ids(template_id=visit["id"]), ids(user_id=ANN)) == (1, 1, 3)
    assert (ids(**{"from": "2026-02-01T00:00:00Z", "to": "2026-03-01T00:00:00Z"}), ids(processed="false")) == (1, 1)
    assert ids(status="canceled") == 0
    page = api.ok("GET", "/interactions", query_string={"limit": 2})
    assert len(api.ok("GET", "/interactions", query_string={"limit": 2, "cursor": page["next_cursor"]})["items"]) == 1


def test_an_inbound_missed_call_is_initiated_by_the_contact_and_processed_once(api: Api) -> None:
    person = api.person()
    entry = api.ok("POST", "/interactions/inbound", 201, json={
        "kind": "missed_call", "contact": {"type": "person", "id": person}, "subject": "Call back please"})
    assert (entry["initiated_by"], entry["processed"], entry["method"], entry["source"], entry["kind"]) == (
        "them", False, "phone", "inbound", "missed_call")
    done = api.ok("POST", f"/interactions/{entry['id']}/processed", json={})
    assert (done["processed"], done["version"]) == (True, 2)
    assert api.ok("POST", f"/interactions/{entry['id']}/processed", json={})["version"] == 2
    assert [e["type"] for e in api.events()][-2:] == ["crm.interaction.created", "crm.interaction.processed"]


def test_bad_input_is_a_clear_422_and_writes_nothing(api: Api) -> None:
    template, person = api.template(), api.person()
    hidden = api.person("Hidden", owner="44444444-4444-4444-4444-444444444444")
    unknown = str(uuid.uuid4())
    cases = {
        "template_id": {"template_id": unknown, "contact": {"type": "person", "id": person}},
        "method": {"template_id": template["id"], "contact": {"type": "person", "id": person}, "method": "pigeon"},
        "contact.id": {"template_id": template["id"], "contact": {"type": "person", "id": hidden}},
        "cost": {"template_id": template["id"], "contact": {"type": "person", "id": person}, "cost": "1e400"},
        "colour": {"template_id": template["id"], "contact": {"type": "person", "id": person}, "colour": "red"},
    }
    before = len(api.events())
    answers = {}
    for field, body in cases.items():
        response = api.call("POST", "/interactions", json=body)
        assert response.status_code == 422, (field, response.get_json())
        assert field in response.get_json()["errors"], (field, response.get_json())
        answers[field] = response.get_json()
    unknown_contact = api.call("POST", "/interactions", json={
        "template_id": template["id"], "contact": {"type": "person", "id": unknown}}).get_json()
    assert unknown_contact["errors"]["contact.id"] == [f"No person with id {unknown}."]
    assert answers["contact.id"]["errors"]["contact.id"] == [f"No person with id {hidden}."]
    assert (api.count(tables.interactions), len(api.events())) == (0, before)


def test_an_entry_is_seen_by_whoever_sees_its_contact(api: Api) -> None:
    template, person = api.template(), api.person(owner=ANN)
    entry = api.log(template["id"], person)["items"][0]
    assert api.call("GET", f"/interactions/{entry['id']}", headers=AS_CID).status_code == 404
    assert api.ok("GET", "/interactions", headers=AS_CID)["items"] == []
    assert api.call("POST", f"/interactions/{entry['id']}/cancel", headers=AS_CID).status_code == 404
    assert api.ok("GET", f"/interactions/{entry['id']}", headers=AS_BOB)["id"] == entry["id"]
    assert api.ok("GET", f"/interactions/{entry['id']}", headers=AS_ADMIN)["id"] == entry["id"]
    api.person(owner=BOB, sequence=2, person_id=person)
    assert api.call("GET", f"/interactions/{entry['id']}").status_code == 404


def test_template_codes_are_unique_and_rules_are_for_admins(api: Api) -> None:
    template = api.template(code="visit")
    assert api.call("POST", "/interaction-templates", json={
        "code": "VISIT", "method": "meeting", "initiated_by": "us"}).status_code == 409
    body = {"event_type": "crm.person.exported", "template_id": template["id"]}
    assert api.call("POST", "/interaction-rules", json=body).status_code == 403
    rule = api.ok("POST", "/interaction-rules", 201, json=body, headers=AS_ADMIN)
    assert rule["enabled"] is True
    assert api.call("DELETE", f"/interaction-templates/{template['id']}", headers=AS_ADMIN).status_code == 409
    assert api.call("POST", "/interaction-rules", headers=AS_ADMIN, json={
        "event_type": "crm.interaction.created", "template_id": template["id"]}).status_code == 422
    assert changes_of(api.events()[0])[0] == ("code", None, "VISIT")


def test_entries_and_templates_answer_their_etag_and_a_stale_if_match_is_412(api: Api) -> None:
    template, person = api.template(), api.person()
    entry = api.log(template["id"], person)["items"][0]
    read = api.call("GET", f"/interactions/{entry['id']}")
    assert read.headers["ETag"] == '"v1"'
    api.ok("POST", f"/interactions/{entry['id']}/cancel", headers={**api.headers, "If-Match": '"v1"'})
    stale = api.call("POST", f"/interactions/{entry['id']}/restore", headers={**api.headers, "If-Match": '"v1"'})
    assert stale.status_code == 412
    assert api.ok("GET", f"/interactions/{entry['id']}")["status"] == "canceled"
    assert api.call("PATCH", f"/interaction-templates/{template['id']}", json={"description": "x"},
                    headers={**api.headers, "If-Match": '"v9"'}).status_code == 412


def test_a_code_taken_by_another_request_a_moment_ago_is_a_409_not_a_server_error(api: Api) -> None:
    taken = api.template(code="RACE")
    with api.engine.connect() as connection:
        repository = TemplateRepository(connection)
        twin = replace(repository.get(taken["id"]), id=str(uuid.uuid4()))  # the check passed before the first commit
        with pytest.raises(StateConflict) as refused:
            repository.add(twin)
        connection.rollback()
    assert refused.value.extra["errors"] == {"code": ["Already used."]}
