"""Through the gateway: the record actions on contacts, each checked in the audit log."""
from __future__ import annotations

import json
import time
import uuid
from datetime import datetime, timezone
from typing import Any

import pytest
from kombu import Connection, Queue

from crm_shared import bus
from crm_shared.config import Settings
from crm_shared.envelope import SYSTEM, wrap
from crm_shared.events import ObjectChanged
from crm_shared.publisher import ConfirmingPublisher, OutgoingMessage
from crm_shared.topology import events_exchange
from crm_suite.testing import Client, RunningSuite, wait_for

pytestmark = pytest.mark.e2e
PASSWORD = "user-password-1"


def entries(client: Client, object_id: str, count: int, timeout: float = 5.0) -> list[dict[str, Any]]:
    """Wait for `count` audit entries of an object; return them newest first."""
    return wait_for(lambda: (found := client.audit_entries(object_id=object_id)) and len(found) >= count and found,
                    timeout=timeout)


def changes(entry: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
    return {c["field"]: (c["before"], c["after"]) for c in entry["changes"]}


def team(suite: RunningSuite) -> tuple[Client, Client, Client, Client]:
    """Create a manager, a user in their team and a user outside it; return them logged in, admin first."""
    admin = suite.client()
    suffix = uuid.uuid4().hex[:8]

    def user(name: str, role: str, manager_id: str | None = None) -> dict[str, Any]:
        body = {"username": f"{name}{suffix}", "password": PASSWORD, "name": f"{name.title()} {suffix}",
                "email": f"{name}{suffix}@example.cz", "role": role, "manager_id": manager_id}
        created = admin.post("/users", json=body)
        assert created.status_code == 201, created.text
        return created.json()

    manager = user("mona", "manager")
    alice = user("alice", "user", manager["id"])
    bob = user("bob", "user")
    # log in after the team exists: the manager's token lists the team at login
    manager_client, alice_client, bob_client = (suite.client(u["username"], PASSWORD) for u in (manager, alice, bob))
    return admin, manager_client, alice_client, bob_client


def test_tags_groups_and_consents_are_audited_updates_of_the_contact(suite: RunningSuite) -> None:
    admin = suite.client()
    person = admin.post("/persons", json={"last_name": "Skupinová", "tags": ["vip"]}).json()
    admin.patch(f"/persons/{person['id']}", json={"tags": ["vip", "b2b"]})
    group = admin.post("/groups", json={"name": f"Segment {uuid.uuid4().hex[:6]}"}).json()
    assert admin.post(f"/groups/{group['id']}/members", json={"kind": "person", "id": person["id"]}).status_code == 200
    consent = admin.request("PUT", f"/persons/{person['id']}/consents/newsletter",
                            json={"granted": True, "source": "web form"})
    assert consent.status_code == 200, consent.text

    consented, grouped, tagged, _created = entries(admin, person["id"], 4)
    assert [e["operation"] for e in (consented, grouped, tagged)] == ["updated"] * 3
    assert changes(tagged) == {"tags": (["vip"], ["vip", "b2b"])}
    assert changes(grouped) == {"groups": ([], [group["id"]])}
    assert changes(consented)["consents.newsletter"][1]["source"] == "web form"
    assert [i["id"] for i in admin.get("/persons", params={"group_id": group["id"]}).json()["items"]] == [person["id"]]
    assert entries(admin, group["id"], 1)[0]["operation"] == "created"


def test_a_lock_refuses_another_users_change_with_423_and_an_admin_unlocks(suite: RunningSuite) -> None:
    admin, manager, alice, _bob = team(suite)
    person = alice.post("/persons", json={"last_name": "Zamčená"}).json()
    assert alice.post(f"/persons/{person['id']}/lock").status_code == 200
    refused = manager.patch(f"/persons/{person['id']}", json={"first_name": "Eva"})
    assert refused.status_code == 423
    assert "Alice" in refused.json()["detail"]
    assert manager.get(f"/persons/{person['id']}").json()["first_name"] is None
    security = manager.get(f"/persons/{person['id']}/security").json()
    assert security["lock"]["holder_id"] == person["owner_id"]
    assert admin.post(f"/persons/{person['id']}/unlock").status_code == 200
    assert manager.patch(f"/persons/{person['id']}", json={"first_name": "Eva"}).status_code == 200

    updated, unlocked, locked, _created = entries(admin, person["id"], 4)
    assert [e["operation"] for e in (updated, unlocked, locked)] == ["updated", "unlocked", "locked"]
    assert changes(locked)["locked_by"] == (None, person["owner_id"])
    assert changes(unlocked)["locked_by"] == (person["owner_id"], None)
    assert changes(updated) == {"first_name": (None, "Eva")}


def test_invalid_records_leave_lists_refuse_edits_and_refresh_answers_304_or_412(suite: RunningSuite) -> None:
    admin = suite.client()
    name = f"Neplatná {uuid.uuid4().hex[:6]}"
    company = admin.post("/companies", json={"name": name})
    path = f"/companies/{company.json()['id']}"
    assert admin.get(path, headers={"If-None-Match": company.headers["ETag"]}).status_code == 304
    assert admin.post(f"{path}/invalidate").status_code == 200
    assert admin.get("/companies", params={"q": name}).json()["items"] == []
    assert len(admin.get("/companies", params={"q": name, "include_invalid": "true"}).json()["items"]) == 1
    assert admin.patch(path, json={"note": "x"}).status_code == 409
    assert admin.post(f"{path}/revalidate").status_code == 200
    assert admin.patch(path, json={"note": "x"}, headers={"If-Match": company.headers["ETag"]}).status_code == 412

    revalidated, invalidated, _created = entries(admin, company.json()["id"], 3)
    assert (invalidated["operation"], changes(invalidated)) == ("invalidated", {"valid": (True, False)})
    assert (revalidated["operation"], changes(revalidated)) == ("revalidated", {"valid": (False, True)})


def test_a_dry_run_merge_writes_nothing_and_a_merge_is_audited_on_target_and_source(suite: RunningSuite) -> None:
    admin = suite.client()
    listener = _MergedListener(suite)
    target = admin.post("/persons", json={"last_name": "Cíl", "emails": ["a@x.cz"]}).json()
    source = admin.post("/persons", json={"last_name": "Zdroj", "emails": ["b@x.cz"], "position": "CEO"}).json()
    entries(admin, source["id"], 1)
    dry = admin.post(f"/persons/{target['id']}/merge", json={"source_id": source["id"], "dry_run": True})
    assert dry.status_code == 200 and dry.json()["target"]["emails"] == ["a@x.cz", "b@x.cz"]
    assert admin.get(f"/persons/{target['id']}").json()["version"] == 1
    merged = admin.post(f"/persons/{target['id']}/merge", json={"source_id": source["id"]})
    assert merged.status_code == 200, merged.text

    merged_entry, _created = entries(admin, target["id"], 2)
    assert merged_entry["operation"] == "merged"
    assert changes(merged_entry) == {"emails": (["a@x.cz"], ["a@x.cz", "b@x.cz"]), "position": (None, "CEO")}
    assert entries(admin, source["id"], 2)[0]["operation"] == "deleted"
    assert admin.get(f"/persons/{source['id']}").status_code == 404
    assert len(admin.audit_entries(object_id=target["id"])) == 2  # the dry run left no entry
    listener.assert_names(target["id"], source["id"])


def test_a_linked_contact_is_deleted_only_with_cascade(suite: RunningSuite) -> None:
    admin = suite.client()
    person = admin.post("/persons", json={"last_name": "Propojená"}).json()
    deal_id = str(uuid.uuid4())
    _publish_deal(suite, deal_id, person["id"])
    links = wait_for(lambda: admin.get(f"/persons/{person['id']}/links").json()["items"], timeout=10)
    assert [link["id"] for link in links] == [deal_id]
    refused = admin.delete(f"/persons/{person['id']}")
    assert refused.status_code == 409
    assert [link["id"] for link in refused.json()["links"]] == [deal_id]
    assert admin.delete(f"/persons/{person['id']}", params={"cascade": "true"}).status_code == 204
    assert entries(admin, person["id"], 2)[0]["operation"] == "deleted"


def test_anonymizing_a_person_erases_personal_fields_and_is_audited(suite: RunningSuite) -> None:
    admin = suite.client()
    person = admin.post("/persons", json={"first_name": "Jana", "last_name": "Tajná", "emails": ["j@x.cz"]}).json()
    assert admin.post(f"/persons/{person['id']}/anonymize").status_code == 200
    assert admin.get(f"/persons/{person['id']}").json()["emails"] == []
    anonymized = entries(admin, person["id"], 2)[0]
    assert anonymized["operation"] == "anonymized"
    assert {c["field"]: c["after"] for c in anonymized["changes"]} == {
        "first_name": None, "last_name": None, "emails": None}


def test_users_see_only_their_own_contacts_and_managers_their_teams(suite: RunningSuite) -> None:
    _admin, manager, alice, bob = team(suite)
    person = alice.post("/persons", json={"last_name": f"Soukromá{uuid.uuid4().hex[:6]}"}).json()
    path = f"/persons/{person['id']}"
    assert bob.get(path).status_code == 404
    assert bob.patch(path, json={"note": "x"}).status_code == 404
    assert bob.get("/persons", params={"q": person["last_name"]}).json()["items"] == []
    assert [i["id"] for i in manager.get("/persons", params={"q": person["last_name"]}).json()["items"]] == [
        person["id"]]
    assert manager.patch(path, json={"note": "checked"}).status_code == 200


def _publish_deal(suite: RunningSuite, deal_id: str, person_id: str) -> None:
    """Publish a deal event as the deals service would, until that service exists."""
    change = ObjectChanged("deal", deal_id, "Test deal", f"/api/v1/deals/{deal_id}", "created", 1,
                           state={"id": deal_id, "links": [{"type": "person", "id": person_id, "name": "P"}]})
    event = wrap(change, service="deals", actor=SYSTEM, correlation_id="e2e", time=datetime.now(timezone.utc))
    settings = Settings.from_env("deals", suite.env)
    publisher = ConfirmingPublisher(lambda: bus.connect(settings))
    try:
        publisher.publish_batch([OutgoingMessage(event.type, event.to_json(), event.id)])
    finally:
        publisher.close()


class _MergedListener:
    """A consumer of `crm.person.merged` (on RabbitMQ only: the embedded bus routes to known queues)."""

    def __init__(self, suite: RunningSuite) -> None:
        self.url = suite.env.get("CRM_BROKER_URL") if suite.distributed else None
        self.queue = Queue(f"test-merged-{uuid.uuid4().hex[:6]}", exchange=events_exchange,
                           routing_key="crm.person.merged", auto_delete=True)
        if self.url:
            with Connection(self.url) as connection:
                self.queue(connection.default_channel).declare()

    def assert_names(self, target_id: str, source_id: str) -> None:
        if not self.url:
            return
        with Connection(self.url) as connection:
            bound = self.queue(connection.default_channel)
            deadline = time.monotonic() + 10
            while (message := bound.get(no_ack=True)) is None and time.monotonic() < deadline:
                time.sleep(0.05)
            assert message is not None
            data = json.loads(message.body)["data"]
            assert (data["object_id"], data["merged_from"]) == (target_id, [source_id])
            bound.delete()
