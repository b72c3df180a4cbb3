"""Visibility (owner, manager's team, admin) and the links that block a delete."""
from __future__ import annotations

import uuid
from datetime import datetime, timezone
from typing import Any

from crm_shared.envelope import Actor, CloudEvent, wrap
from crm_shared.events import ObjectChanged

from crm_contacts.consumer import handle_events
from crm_contacts.declaration import SERVICE
from crm_contacts.service_layer.unit_of_work import ContactsUnitOfWork

ContactsApi = Any


def deal_event(deal_id: str, sequence: int, links: list[dict[str, str]], operation: str = "updated") -> CloudEvent:
    change = ObjectChanged("deal", deal_id, "Big deal", f"/api/v1/deals/{deal_id}", operation, sequence,
                           state={"id": deal_id, "links": links})
    return wrap(change, service="deals", actor=Actor("u", "U"), correlation_id="c",
                time=datetime.now(timezone.utc))


def apply(contacts: ContactsApi, *events: CloudEvent) -> None:
    with contacts.engine.begin() as connection:
        handle_events(ContactsUnitOfWork(connection=connection), list(events))


def test_a_user_cannot_read_change_delete_or_list_anothers_contact_but_their_manager_can(
    contacts: ContactsApi,
) -> None:
    person = contacts.create("/persons", user="alice", last_name="Nová")
    path = f"/persons/{person['id']}"
    for method, kwargs in (("GET", {}), ("PATCH", {"json": {"note": "x"}}), ("DELETE", {}),
                           ("POST", {"path_suffix": "/lock"})):
        suffix = kwargs.pop("path_suffix", "")
        assert contacts.call(method, path + suffix, user="bob", **kwargs).status_code == 404
    assert contacts.call("GET", "/persons?q=nova", user="bob").get_json()["items"] == []
    assert contacts.call("GET", path, user="manager").status_code == 200
    assert [i["id"] for i in contacts.call("GET", "/persons", user="manager").get_json()["items"]] == [person["id"]]
    assert contacts.call("PATCH", path, user="manager", json={"note": "ok"}).status_code == 200
    assert contacts.call("GET", path, user="admin").status_code == 200
    bobs = contacts.create("/persons", user="bob", last_name="Bobová")
    assert contacts.call("GET", f"/persons/{bobs['id']}", user="manager").status_code == 404
    assert len(contacts.call("GET", "/persons", user="admin").get_json()["items"]) == 2


def test_a_linked_contact_is_deleted_only_with_cascade_and_links_follow_newer_events(contacts: ContactsApi) -> None:
    person = contacts.create("/persons", last_name="Nová")
    deal_id = str(uuid.uuid4())
    apply(contacts, deal_event(deal_id, 2, [{"type": "person", "id": person["id"]}]))
    apply(contacts, deal_event(deal_id, 1, []))  # stale: ignored
    refused = contacts.call("DELETE", f"/persons/{person['id']}")
    assert refused.status_code == 409
    assert refused.get_json()["links"] == [{"type": "deal", "id": deal_id, "name": "Big deal",
                                            "contact_kind": "person", "contact_id": person["id"]}]
    apply(contacts, deal_event(deal_id, 3, [], operation="deleted"))
    apply(contacts, deal_event(deal_id, 2, [{"type": "person", "id": person["id"]}]))
    assert contacts.call("DELETE", f"/persons/{person['id']}").status_code == 204


def test_cascade_deletes_a_linked_contact_and_a_merge_moves_its_links(contacts: ContactsApi) -> None:
    target = contacts.create("/persons", last_name="Nová")
    source = contacts.create("/persons", last_name="Nováková")
    deal_id = str(uuid.uuid4())
    apply(contacts, deal_event(deal_id, 1, [{"type": "person", "id": source["id"]}]))
    contacts.call("POST", f"/persons/{target['id']}/merge", json={"source_id": source["id"]})
    refused = contacts.call("DELETE", f"/persons/{target['id']}")
    assert [link["id"] for link in refused.get_json()["links"]] == [deal_id]
    assert contacts.call("DELETE", f"/persons/{target['id']}?cascade=true").status_code == 204
    assert contacts.last_event()["type"] == "crm.person.deleted"


def test_a_deleted_deal_releases_its_links_though_its_event_keeps_the_version_of_its_last_change(
    contacts: ContactsApi,
) -> None:
    person = contacts.create("/persons", last_name="Nová")
    deal_id = str(uuid.uuid4())
    apply(contacts, deal_event(deal_id, 2, [{"type": "person", "id": person["id"]}]))
    apply(contacts, deal_event(deal_id, 2, [{"type": "person", "id": person["id"]}], operation="deleted"))
    assert contacts.call("GET", f"/persons/{person['id']}/links").get_json()["items"] == []
    apply(contacts, deal_event(deal_id, 2, [{"type": "person", "id": person["id"]}]))  # redelivered: stale
    assert contacts.call("DELETE", f"/persons/{person['id']}").status_code == 204


def test_a_persons_own_erasure_reaches_the_contacts_consumer_and_links_nothing(contacts: ContactsApi) -> None:
    person = contacts.create("/persons", last_name="Nová")
    deal_id = str(uuid.uuid4())
    apply(contacts, deal_event(deal_id, 1, [{"type": "person", "id": person["id"]}]))
    erasure = wrap(ObjectChanged("person", person["id"], "", f"/api/v1/persons/{person['id']}", "anonymized", 2,
                                 state={"id": person["id"], "links": []}),
                   service="contacts", actor=Actor("u", "U"), correlation_id="c", time=datetime.now(timezone.utc))
    assert erasure.type in SERVICE.queue.bindings  # bound for its dead letters' redaction (crm_shared.dead_letters)
    apply(contacts, erasure)
    with ContactsUnitOfWork(contacts.engine) as uow:
        assert uow.links.applied_sequence("person", person["id"]) is None, "no links are recorded for it"
    refused = contacts.call("DELETE", f"/persons/{person['id']}")
    assert [link["id"] for link in refused.get_json()["links"]] == [deal_id], "the deal's link stands"
