"""Lock, validity, consents, security info and anonymization over HTTP, with their events."""
from __future__ import annotations

from typing import Any

from crm_shared.erasure import REDACTED

ContactsApi = Any


def changes_of(event: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
    return {c["field"]: (c["before"], c["after"]) for c in event["data"]["changes"]}


def test_a_locked_person_refuses_changes_from_others_with_423_until_an_admin_unlocks(contacts: ContactsApi) -> None:
    person = contacts.create("/persons", last_name="Nová")
    path = f"/persons/{person['id']}"
    locked = contacts.call("POST", f"{path}/lock")
    assert locked.status_code == 200 and locked.get_json()["locked_by"] == person["owner_id"]
    event = contacts.last_event()
    assert (event["type"], event["sequence"]) == ("crm.person.locked", 2)
    assert changes_of(event)["locked_by"] == (None, person["owner_id"])

    refused = contacts.call("PATCH", path, user="manager", json={"first_name": "Eva"})
    assert refused.status_code == 423
    assert refused.content_type == "application/problem+json"
    assert "Alice User" in refused.get_json()["detail"]
    assert contacts.call("POST", f"{path}/unlock", user="manager").status_code == 423
    assert contacts.call("GET", path).get_json()["first_name"] is None
    assert len(contacts.events()) == 2

    assert contacts.call("POST", f"{path}/unlock", user="admin").status_code == 200
    assert contacts.last_event()["type"] == "crm.person.unlocked"
    assert contacts.call("PATCH", path, user="manager", json={"first_name": "Eva"}).status_code == 200


def test_the_lock_holder_edits_freely_and_locking_twice_emits_nothing(contacts: ContactsApi) -> None:
    person = contacts.create("/persons", last_name="Nová")
    contacts.call("POST", f"/persons/{person['id']}/lock")
    assert contacts.call("POST", f"/persons/{person['id']}/lock").status_code == 200
    assert contacts.call("PATCH", f"/persons/{person['id']}", json={"position": "CEO"}).status_code == 200
    assert [e["data"]["operation"] for e in contacts.events()] == ["created", "locked", "updated"]


def test_an_invalid_company_leaves_lists_stays_readable_and_refuses_edits_until_revalidated(
    contacts: ContactsApi,
) -> None:
    company = contacts.create("/companies", name="Stará s.r.o.")
    path = f"/companies/{company['id']}"
    assert contacts.call("POST", f"{path}/invalidate").status_code == 200
    assert changes_of(contacts.last_event()) == {"valid": (True, False)}
    assert contacts.last_event()["type"] == "crm.company.invalidated"
    assert contacts.call("GET", "/companies").get_json()["items"] == []
    listed = contacts.call("GET", "/companies?include_invalid=true").get_json()["items"]
    assert [item["id"] for item in listed] == [company["id"]]
    assert contacts.call("GET", path).get_json()["valid"] is False
    assert contacts.call("PATCH", path, json={"note": "x"}).status_code == 409

    assert contacts.call("POST", f"{path}/revalidate").status_code == 200
    assert changes_of(contacts.last_event()) == {"valid": (False, True)}
    assert contacts.call("PATCH", path, json={"note": "x"}).status_code == 200
    assert [item["id"] for item in contacts.call("GET", "/companies").get_json()["items"]] == [company["id"]]


def test_granting_and_withdrawing_a_consent_are_updates_with_source_and_time(contacts: ContactsApi) -> None:
    person = contacts.create("/persons", last_name="Nová")
    path = f"/persons/{person['id']}/consents/newsletter"
    granted = contacts.call("PUT", path, json={"granted": True, "source": "web form"})
    assert granted.status_code == 200
    consent = granted.get_json()["consents"]["newsletter"]
    assert consent["granted"] is True and consent["source"] == "web form" and consent["at"]
    assert changes_of(contacts.last_event()) == {"consents.newsletter": (None, consent)}
    contacts.call("PUT", path, json={"granted": True, "source": "web form"})
    assert len(contacts.events()) == 2
    contacts.call("PUT", path, json={"granted": False, "source": "e-mail"})
    before, after = changes_of(contacts.last_event())["consents.newsletter"]
    assert before == consent and after["granted"] is False
    assert contacts.call("PUT", path, json={"granted": "maybe"}).status_code == 422
    odd = contacts.call("PUT", f"/persons/{person['id']}/consents/Bad Purpose!", json={"granted": True})
    assert odd.status_code == 422


def test_security_info_names_creator_modifier_validity_lock_owner_and_visibility(contacts: ContactsApi) -> None:
    person = contacts.create("/persons", last_name="Nová")
    contacts.call("POST", f"/persons/{person['id']}/lock", user="manager")
    info = contacts.call("GET", f"/persons/{person['id']}/security").get_json()
    assert info["created_by"] == person["owner_id"] and info["created_at"] == person["created_at"]
    assert info["modified_by"] != info["created_by"] and info["modified_at"] >= info["created_at"]
    assert info["valid"] is True and info["owner_id"] == person["owner_id"]
    assert info["lock"]["holder_name"] == "Mona Manager" and info["lock"]["locked_at"]
    assert info["visible_to"]["owner_id"] == person["owner_id"]
    assert contacts.call("GET", f"/persons/{person['id']}/security", user="bob").status_code == 404


def test_anonymizing_a_person_erases_personal_fields_keeps_the_record_and_lists_them_as_null(
    contacts: ContactsApi,
) -> None:
    person = contacts.create("/persons", first_name="Jana", last_name="Nová", emails=["j@example.cz"],
                             phones=["+420 111 222 333"], tags=["vip"])
    answer = contacts.call("POST", f"/persons/{person['id']}/anonymize")
    assert answer.status_code == 200
    erased = contacts.call("GET", f"/persons/{person['id']}").get_json()
    assert (erased["first_name"], erased["emails"], erased["tags"]) == (None, [], ["vip"])
    assert erased["name"] == "Anonymized person"
    event = contacts.last_event()
    assert event["type"] == "crm.person.anonymized"
    assert changes_of(event) == {"first_name": (REDACTED, None), "last_name": (REDACTED, None),
                                 "emails": (REDACTED, None), "phones": (REDACTED, None)}
    assert contacts.call("POST", f"/persons/{person['id']}/anonymize").status_code == 200
    assert len(contacts.events()) == 2
    assert contacts.call("GET", "/persons?q=nova").get_json()["items"] == []
