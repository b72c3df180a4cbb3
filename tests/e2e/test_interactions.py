"""Through the gateway: interaction templates copied and overridden, a group logged per member, rules turning an
export and a won deal into entries once, cancel / restore / delete-canceled, an inbound missed call processed,
an attachment byte for byte; merges and anonymization followed; bad input refused with nothing written."""
from __future__ import annotations

import hashlib
import time
import uuid
from dataclasses import replace
from datetime import datetime, timezone
from typing import Any

import pytest

from crm_shared import bus
from crm_shared.config import Settings
from crm_shared.envelope import Actor, wrap
from crm_shared.events import ObjectChanged
from crm_shared.publisher import ConfirmingPublisher, OutgoingMessage
from crm_suite.testing import Client, RunningSuite, wait_for

pytestmark = pytest.mark.e2e
TIMEOUT = 60


def template(client: Client, **values: Any) -> dict[str, Any]:
    return client.created("/interaction-templates", {
        "code": f"T{uuid.uuid4().hex[:8]}", "description": "Phone call", "method": "phone", "initiated_by": "us",
        "unit_cost": "12.50", "unit_duration_minutes": 15, **values})


def log(client: Client, body: dict[str, Any]) -> list[dict[str, Any]]:
    """Log entries, waiting until the interactions service has heard of the contact (its copy is made from events)."""
    def attempt() -> list[dict[str, Any]] | None:
        response = client.post("/interactions", json=body)
        if response.status_code == 422 and {"contact.id", "group_id"} & set(response.json().get("errors", {})):
            return None
        assert response.status_code == 201, response.text
        return response.json()["items"]
    return wait_for(attempt, timeout=TIMEOUT, interval=0.2)  # type: ignore[return-value]


def person(client: Client, first: str = "Jana", last: str = "Nováková", **values: Any) -> dict[str, Any]:
    return client.created("/persons", {"first_name": first, "last_name": f"{last}", **values})


def entries(client: Client, count: int, **params: Any) -> list[dict[str, Any]]:
    """Wait until the log lists at least `count` entries matching the filters; return them."""
    return wait_for(lambda: len(items := client.get("/interactions", params={"limit": 500, **params}).json()["items"])
                    >= count and items, timeout=TIMEOUT, interval=0.2)  # type: ignore[return-value]


def test_a_template_is_copied_onto_an_entry_and_overridden_and_a_group_of_three_makes_three(
        suite: RunningSuite) -> None:
    admin = suite.client()
    call = template(admin)
    jana = person(admin)
    [copied] = log(admin, {"template_id": call["id"], "contact": {"type": "person", "id": jana["id"]}})
    assert (copied["method"], copied["initiated_by"], copied["cost"], copied["duration_minutes"],
            copied["description"], copied["source"]) == ("phone", "us", "12.50", 15, "Phone call", "manual")
    assert copied["contact"]["name"] == "Jana Nováková"
    [overridden] = log(admin, {"template_id": call["id"], "contact": {"type": "person", "id": jana["id"]},
                               "method": "meeting", "cost": "3.75", "duration_minutes": 45})
    assert (overridden["method"], overridden["cost"], overridden["duration_minutes"]) == ("meeting", "3.75", 45)
    changed = admin.patch(f"/interaction-templates/{call['id']}", json={"unit_cost": "99.00"})
    assert changed.status_code == 200, changed.text
    assert admin.get(f"/interactions/{copied['id']}").json()["cost"] == "12.50"

    group = admin.created("/groups", {"name": f"Newsletter {uuid.uuid4().hex[:6]}"})
    members = [person(admin, f"Member{n}", "Skupinová", groups=[group["id"]])["id"] for n in range(3)]
    # the contacts' events arrive in order: once the last member is known, so are the others
    log(admin, {"template_id": call["id"], "contact": {"type": "person", "id": members[-1]}})
    items = log(admin, {"template_id": call["id"], "group_id": group["id"]})
    assert sorted(item["contact"]["id"] for item in items) == sorted(members)
    assert {item["source"] for item in items} == {"segment"}


def test_rules_log_an_export_and_a_won_deal_for_each_linked_contact_once_even_when_delivered_twice(
        suite: RunningSuite) -> None:
    admin = suite.client()
    exported = template(admin, description="Card sent")
    won = template(admin, description="Deal won")
    rules = [admin.created("/interaction-rules", {"event_type": event_type, "template_id": used["id"]})
             for event_type, used in (("crm.person.exported", exported), ("crm.deal.won", won))]
    try:
        _export_and_win(suite, admin, exported, won)
    finally:  # the suite is shared: other tests' exports and deals log nothing
        for rule in rules:
            assert admin.delete(f"/interaction-rules/{rule['id']}").status_code == 204


def _export_and_win(suite: RunningSuite, admin: Client, exported: dict[str, Any], won: dict[str, Any]) -> None:
    jana = person(admin, "Jana", f"Exportovaná{uuid.uuid4().hex[:4]}")
    assert admin.get(f"/persons/{jana['id']}/export.vcf").status_code == 200
    [entry] = entries(admin, 1, contact_id=jana["id"], template_id=exported["id"])
    me = admin.get("/auth/me").json()
    assert (entry["source"], entry["user"]["id"], entry["description"]) == ("rule", me["id"], "Card sent")
    [logged] = wait_for(lambda: admin.audit_entries(object_id=entry["id"]), timeout=TIMEOUT)  # type: ignore[misc]
    assert (logged["user"]["id"], logged["channel"]) == (me["id"], "automation")
    export_event = wait_for(lambda: admin.audit_entries(object_id=jana["id"], operation="exported"), timeout=TIMEOUT)
    _deliver_again(suite, export_event[0]["id"], jana)  # type: ignore[index]
    assert admin.get(f"/persons/{jana['id']}/export.vcf").status_code == 200
    second = entries(admin, 2, contact_id=jana["id"], template_id=exported["id"])
    time.sleep(1)  # a late duplicate would show up here
    assert len(admin.get("/interactions", params={"contact_id": jana["id"]}).json()["items"]) == len(second) == 2

    acme = admin.created("/companies", {"name": f"Acme {uuid.uuid4().hex[:4]}"})
    deal = admin.created("/deals", {"name": "Fleet", "value": "10.00", "currency": "CZK",
                                     "links": [{"type": "person", "id": jana["id"]},
                                               {"type": "company", "id": acme["id"]}]})
    closed = admin.post(f"/deals/{deal['id']}/won")
    assert closed.status_code == 200, closed.text
    wins = entries(admin, 2, template_id=won["id"])
    assert sorted((e["contact"]["type"], e["contact"]["id"]) for e in wins) == sorted(
        [("person", jana["id"]), ("company", acme["id"])])
    time.sleep(1)
    assert len(admin.get("/interactions", params={"template_id": won["id"]}).json()["items"]) == 2


def _deliver_again(suite: RunningSuite, event_id: str, contact: dict[str, Any]) -> None:
    """Publish the export event once more under its own id, as a redelivery after a lost ack would bring it."""
    change = ObjectChanged("person", contact["id"], contact["first_name"], f"/api/v1/persons/{contact['id']}",
                           "exported", contact["version"], state={**contact, "name": "x"},
                           extra={"export": {"format": "vcf"}})
    event = replace(wrap(change, service="contacts", actor=Actor("system", "system"), correlation_id="e2e",
                         time=datetime.now(timezone.utc)), id=event_id)
    publisher = ConfirmingPublisher(lambda: bus.connect(Settings.from_env("contacts", suite.env)))
    try:
        publisher.publish_batch([OutgoingMessage(event.type, event.to_json(), event.id)])
    finally:
        publisher.close()


def test_cancel_restore_and_delete_canceled_leave_every_other_entry_and_a_missed_call_is_processed(
        suite: RunningSuite) -> None:
    admin = suite.client()
    call = template(admin)
    jana = person(admin)
    body = {"template_id": call["id"], "contact": {"type": "person", "id": jana["id"]}}
    ids = [log(admin, body)[0]["id"] for _ in range(3)]
    for entry_id in ids:
        assert admin.post(f"/interactions/{entry_id}/cancel").json()["status"] == "canceled"
    assert admin.post(f"/interactions/{ids[1]}/restore").json()["status"] == "logged"
    dry = admin.post("/interactions/delete-canceled", json={"contact_id": jana["id"], "dry_run": True}).json()
    assert dry["deleted"] == 2
    done = admin.post("/interactions/delete-canceled", json={"contact_id": jana["id"]}).json()
    assert sorted(done["ids"]) == sorted([ids[0], ids[2]])
    assert [e["id"] for e in admin.get("/interactions", params={"contact_id": jana["id"]}).json()["items"]] == [ids[1]]
    operation = wait_for(lambda: admin.audit_entries(object_id=done["operation_id"]), timeout=TIMEOUT)
    assert sorted(operation[0]["changes"][0]["before"]) == sorted([ids[0], ids[2]])  # type: ignore[index]

    missed = admin.created("/interactions/inbound", {"kind": "missed_call",
                                                      "contact": {"type": "person", "id": jana["id"]}})
    assert (missed["initiated_by"], missed["processed"]) == ("them", False)
    processed = admin.post(f"/interactions/{missed['id']}/processed", json={})
    assert processed.status_code == 200 and processed.json()["processed"] is True
    history = wait_for(lambda: len(found := admin.audit_entries(object_id=missed["id"])) >= 2 and found,
                       timeout=TIMEOUT)
    assert [e["operation"] for e in history] == ["processed", "created"]  # type: ignore[union-attr]


def test_an_attachment_is_uploaded_and_downloaded_byte_for_byte(suite: RunningSuite) -> None:
    admin = suite.client()
    content = bytes(range(256)) * 1000 + b"%PDF"
    uploaded = admin.post("/attachments", files={"file": ("minutes.pdf", content, "application/pdf")})
    assert uploaded.status_code == 201, uploaded.text
    body = uploaded.json()
    assert (body["size"], body["sha256"]) == (len(content), hashlib.sha256(content).hexdigest())
    download = admin.get(f"/attachments/{body['id']}")
    assert download.status_code == 200
    assert download.content == content
    assert download.headers["Content-Disposition"].startswith("attachment")
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    page = admin.post("/attachments", files={"file": ("x.html", b"<html><script>1</script>", "text/html")}).json()
    assert admin.get(f"/attachments/{page['id']}").headers["Content-Type"].startswith("application/octet-stream")


def test_merged_persons_entries_list_under_the_survivor_and_an_anonymized_person_s_name_is_nowhere(
        suite: RunningSuite) -> None:
    admin = suite.client()
    call = template(admin)
    source, target = person(admin, "Jana", "Dvojnice"), person(admin, "Jana", "Slučovaná")
    for contact in (source, target):
        log(admin, {"template_id": call["id"], "contact": {"type": "person", "id": contact["id"]}})
    assert admin.post(f"/persons/{target['id']}/merge", json={"source_id": source["id"]}).status_code == 200
    moved = wait_for(lambda: len(items := admin.get("/interactions", params={"contact_id": target["id"]}).json()[
        "items"]) == 2 and items, timeout=TIMEOUT)
    assert {e["contact"]["id"] for e in moved} == {target["id"]}  # type: ignore[union-attr]

    secret = f"Utajená{uuid.uuid4().hex[:6]}"
    email = f"{secret.lower()}@example.cz"
    gone = person(admin, "Věra", secret, emails=[email])
    [entry] = log(admin, {"template_id": call["id"], "contact": {"type": "person", "id": gone["id"]},
                          "description": f"Věra {secret} wrote from {email}"})
    wait_for(lambda: admin.audit_entries(object_id=entry["id"]), timeout=TIMEOUT)
    assert admin.post(f"/persons/{gone['id']}/anonymize").status_code == 200
    redacted = wait_for(lambda: (e := admin.get(f"/interactions/{entry['id']}").json())["description"] is None and e,
                        timeout=TIMEOUT)
    assert secret not in str(redacted) and email not in str(redacted)
    history = wait_for(lambda: len(found := admin.audit_entries(object_id=entry["id"])) >= 2 and found
                       and found[0]["operation"] == "anonymized" and found, timeout=TIMEOUT)
    assert secret not in str(history) and email not in str(history)
    late = admin.created("/interactions/inbound", {"kind": "email", "contact": {"type": "person", "id": gone["id"]},
                                                    "subject": f"From {email}"})
    assert late["description"] is None
    listed = admin.get("/interactions", params={"contact_id": gone["id"]}).json()["items"]
    assert len(listed) == 2 and secret not in str(listed) and email not in str(listed)


def test_a_contact_s_links_list_its_entries_and_once_deleted_the_entries_stay_showing_it_deleted(
        suite: RunningSuite) -> None:
    admin = suite.client()
    call = template(admin)
    jana = person(admin, "Jana", "Smazaná")
    [entry] = log(admin, {"template_id": call["id"], "contact": {"type": "person", "id": jana["id"]}})
    wait_for(lambda: entry["id"] in [link["id"] for link in admin.get(f"/persons/{jana['id']}/links").json()["items"]],
             timeout=TIMEOUT)
    blocked = admin.delete(f"/persons/{jana['id']}")
    assert blocked.status_code == 409, blocked.text
    assert entry["id"] in [link["id"] for link in blocked.json()["links"]]
    assert admin.delete(f"/persons/{jana['id']}", params={"cascade": "true"}).status_code == 204
    kept = wait_for(lambda: (e := admin.get(f"/interactions/{entry['id']}").json())["contact"]["deleted"] and e,
                    timeout=TIMEOUT)
    assert kept["contact"] == {"type": "person", "id": jana["id"], "name": "Jana Smazaná", "deleted": True}  # type: ignore[index]


def test_bad_input_is_a_clear_4xx_and_nothing_is_written(suite: RunningSuite) -> None:
    admin = suite.client()
    cid, cid_user = suite.new_user(prefix="inter")
    call = template(admin)
    hidden = person(admin, "Skrytá", "Osoba")
    mine = person(cid, "Moje", "Osoba")
    [entry] = log(cid, {"template_id": call["id"], "contact": {"type": "person", "id": mine["id"]}})
    log(admin, {"template_id": call["id"], "contact": {"type": "person", "id": hidden["id"]}})
    unknown = str(uuid.uuid4())
    cases = {
        "template_id": {"template_id": unknown, "contact": {"type": "person", "id": mine["id"]}},
        "method": {"template_id": call["id"], "contact": {"type": "person", "id": mine["id"]}, "method": "pigeon"},
        "contact.id": {"template_id": call["id"], "contact": {"type": "person", "id": hidden["id"]}},
    }
    for field, body in cases.items():
        response = cid.post("/interactions", json=body)
        assert response.status_code == 422, (field, response.text)
        assert response.headers["Content-Type"].startswith("application/problem+json")
        assert field in response.json()["errors"], (field, response.json())
    invisible = cid.post("/interactions", json=cases["contact.id"]).json()
    missing = cid.post("/interactions", json={**cases["contact.id"], "contact": {"type": "person", "id": unknown}})
    assert invisible["errors"]["contact.id"] == [f"No person with id {hidden['id']}."]
    assert missing.json()["errors"]["contact.id"] == [f"No person with id {unknown}."]
    too_large = cid.post("/attachments", files={"file": ("big.bin", b"x" * (10 * 1024 * 1024 + 1), "text/plain")})
    assert too_large.status_code == 413, too_large.text
    assert too_large.headers["Content-Type"].startswith("application/problem+json")
    hostile = cid.post("/attachments", files={"file": ("evil\x00.pdf", b"%PDF", "application/pdf")})
    assert hostile.status_code == 422, hostile.text
    assert cid.post("/interactions/delete-canceled", json={"ids": [entry["id"]]}).status_code == 409
    assert cid.delete(f"/interactions/{entry['id']}").status_code == 409
    assert cid.post("/interactions/delete-canceled", json={"status": "logged"}).status_code == 422
    assert [e["id"] for e in cid.get("/interactions").json()["items"]] == [entry["id"]]
    assert cid.get(f"/interactions/{entry['id']}").json()["status"] == "logged"
    wait_for(lambda: admin.audit_entries(object_id=entry["id"]), timeout=TIMEOUT)
    written = admin.audit_entries(user_id=cid_user["id"], object_type="interaction")
    assert [e["object_id"] for e in written] == [entry["id"]]
    assert admin.audit_entries(user_id=cid_user["id"], object_type="attachment") == []

