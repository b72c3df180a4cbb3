"""What the service does with the events it hears: rules log entries once, merges move entries, anonymization
redacts them, a deleted contact's entries stay."""
from __future__ import annotations

import uuid

from crm_shared.envelope import Actor

from .conftest import AS_ADMIN, Api

EVA = Actor("55555555-5555-5555-5555-555555555555", "Eva Exporter")


def _rule(api: Api, event_type: str, **extra: str) -> dict:
    template = api.template(code=f"R{uuid.uuid4().hex[:5]}", description="Automatic")
    api.ok("POST", "/interaction-rules", 201, headers=AS_ADMIN,
           json={"event_type": event_type, "template_id": template["id"], **extra})
    return template


def test_an_exported_contact_is_logged_once_as_the_exporter_even_when_the_event_comes_twice(api: Api) -> None:
    template = _rule(api, "crm.person.exported")
    person = api.person()
    state = {"id": person, "name": "Jana Nováková", "owner_id": "11111111-1111-1111-1111-111111111111"}
    event_id = api.hear("crm.person.exported", person, 1, state, actor=EVA, export={"format": "vcf"})
    api.hear("crm.person.exported", person, 1, state, actor=EVA, event_id=event_id)
    items = api.ok("GET", "/interactions", headers=AS_ADMIN)["items"]
    assert [(i["template_id"], i["source"], i["user"]["name"]) for i in items] == [
        (template["id"], "rule", "Eva Exporter")]


def test_a_won_deal_logs_an_entry_for_each_linked_contact(api: Api) -> None:
    _rule(api, "crm.deal.won")
    person, company = api.person(), str(uuid.uuid4())
    api.hear("crm.company.created", company, 1, {"id": company, "name": "Acme", "owner_id": None})
    deal = str(uuid.uuid4())
    links = [{"type": "person", "id": person, "name": "Jana"}, {"type": "company", "id": company, "name": "Acme"},
             {"type": "space", "id": str(uuid.uuid4()), "name": "x"}]
    api.hear("crm.deal.updated", deal, 2, {"id": deal, "status": "open", "links": links})
    assert api.ok("GET", "/interactions", headers=AS_ADMIN)["items"] == []
    api.hear("crm.deal.updated", deal, 3, {"id": deal, "status": "won", "links": links},
             changes=[{"field": "status", "before": "open", "after": "won"}])
    items = api.ok("GET", "/interactions", headers=AS_ADMIN)["items"]
    assert sorted(i["contact"]["type"] for i in items) == ["company", "person"]


def test_a_completed_task_logs_only_for_the_rule_s_task_type(api: Api) -> None:
    call_type = str(uuid.uuid4())
    _rule(api, "crm.task.completed", task_type_id=call_type)
    person = api.person()
    links = [{"type": "person", "id": person, "name": "Jana"}]
    api.hear("crm.task.completed", str(uuid.uuid4()), 2, {"type_id": str(uuid.uuid4()), "links": links})
    api.hear("crm.task.completed", str(uuid.uuid4()), 2, {"type_id": call_type, "links": links})
    assert len(api.ok("GET", "/interactions", headers=AS_ADMIN)["items"]) == 1


def test_a_merge_moves_the_source_s_entries_to_the_survivor(api: Api) -> None:
    template = api.template()
    source, target = api.person("Jana Dvojnice"), api.person("Jana Nováková")
    api.log(template["id"], source)
    api.log(template["id"], target)
    api.hear("crm.person.merged", target, 2, {"id": target, "name": "Jana Nováková",
                                              "owner_id": "11111111-1111-1111-1111-111111111111"},
             merged_from=[source])
    api.hear("crm.person.deleted", source, 2, {"id": source, "name": "Jana Dvojnice"}, merged_into=target)
    listed = api.ok("GET", "/interactions", query_string={"contact_id": target})["items"]
    assert len(listed) == 2
    assert {i["contact"]["name"] for i in listed} == {"Jana Nováková"}
    assert api.ok("GET", "/interactions", query_string={"contact_id": source})["items"] == []
    assert api.events()[-1]["type"] == "crm.interaction.updated"


def test_anonymizing_a_person_redacts_their_entries_and_later_ones(api: Api) -> None:
    template = api.template()
    person = api.person("Jana Nováková")
    entry = api.log(template["id"], person, description="Jana asked about jana@example.cz")["items"][0]
    api.hear("crm.person.anonymized", person, 2, {"id": person, "name": "Anonymized person",
                                                  "owner_id": "11111111-1111-1111-1111-111111111111",
                                                  "anonymized_at": "2026-12-01T10:00:00+00:00"})
    redacted = api.ok("GET", f"/interactions/{entry['id']}")
    assert (redacted["contact"]["name"], redacted["description"]) == ("Anonymized person", None)
    event = api.events()[-1]
    assert (event["type"], event["data"]["state"]["description"]) == ("crm.interaction.anonymized", None)
    late = api.ok("POST", "/interactions/inbound", 201, json={
        "kind": "email", "contact": {"type": "person", "id": person}, "subject": "From jana@example.cz"})
    assert late["description"] is None
    assert "Jana" not in str(api.events()[-1]["data"])


def test_a_deleted_contact_s_entries_stay_and_show_it_deleted(api: Api) -> None:
    template, person = api.template(), api.person()
    entry = api.log(template["id"], person)["items"][0]
    api.hear("crm.person.deleted", person, 1, {"id": person, "name": "Jana Nováková"})
    kept = api.ok("GET", f"/interactions/{entry['id']}")
    assert kept["contact"] == {"type": "person", "id": person, "name": "Jana Nováková", "deleted": True}
    assert api.call("POST", "/interactions", json={
        "template_id": template["id"], "contact": {"type": "person", "id": person}}).status_code == 422


def test_statistics_per_template_and_contact_count_logged_entries_by_method_and_initiator(api: Api) -> None:
    call = api.template(unit_cost="10.25", unit_duration_minutes=5)
    person = api.person()
    api.log(call["id"], person)
    api.log(call["id"], person, initiated_by="them", cost="1.10", duration_minutes=2)
    api.log(call["id"], person, method="email")
    canceled = api.log(call["id"], person)["items"][0]
    api.ok("POST", f"/interactions/{canceled['id']}/cancel")
    stats = api.ok("GET", "/interactions/statistics", query_string={"template_id": call["id"]})
    assert (stats["count"], stats["total_cost"], stats["total_duration_minutes"]) == (3, "21.60", 12)
    assert stats["by_method"] == {"email": {"count": 1, "total_cost": "10.25", "total_duration_minutes": 5},
                                  "phone": {"count": 2, "total_cost": "11.35", "total_duration_minutes": 7}}
    assert stats["by_initiator"]["them"] == {"count": 1, "total_cost": "1.10", "total_duration_minutes": 2}
    assert api.ok("GET", "/interactions/statistics", query_string={"contact_id": person})["count"] == 3


def test_statistics_stay_exact_for_the_largest_costs(api: Api) -> None:
    costly = api.template(unit_cost="99999999999999.9999")
    person = api.person()
    for _ in range(12):
        api.log(costly["id"], person)
    stats = api.ok("GET", "/interactions/statistics", query_string={"template_id": costly["id"]})
    assert (stats["count"], stats["total_cost"]) == (12, "1199999999999999.9988")
