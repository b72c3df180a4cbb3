"""Through the gateway, on PostgreSQL + RabbitMQ: once a person is anonymized, none of their personal values
is left in any audit entry (their own or another object's), the audit export, the interaction log, the
tasks' stored links, the counters' copies or any service's outbox (CON-4, AUD-6)."""
from __future__ import annotations

import json
import uuid
from typing import Any

import pytest
import sqlalchemy as sa

from crm_suite.testing import Client, RunningSuite, wait_for

pytestmark = pytest.mark.e2e
TIMEOUT = 60
ERASED_NAME = "Anonymized person"
#: the services whose outboxes may hold events about the person or naming it
OUTBOXES = ("contacts", "deals", "tasks", "interactions", "audit", "counters", "gateway")


def rows(suite: RunningSuite, service: str, query: str) -> list[Any]:
    engine = sa.create_engine(suite.database_url(service))
    try:
        with engine.connect() as connection:
            return list(connection.execute(sa.text(query)))
    finally:
        engine.dispose()


def has_table(suite: RunningSuite, service: str, table: str) -> bool:
    engine = sa.create_engine(suite.database_url(service))
    try:
        return sa.inspect(engine).has_table(table)
    finally:
        engine.dispose()


def pages(client: Client, path: str, **params: Any) -> list[str]:
    """Return every page of a list as the raw JSON text the gateway answered."""
    texts, params = [], {"limit": 500, **params}
    while True:
        response = client.get(path, params=params)
        assert response.status_code == 200, response.text
        texts.append(response.text)
        params["cursor"] = response.json().get("next_cursor")
        if not params["cursor"]:
            return texts


def readable(text: str) -> str:
    """The text and, for JSON, the same with its escapes decoded (a name may be written as \\u00e1…)."""
    try:
        return text + json.dumps(json.loads(text), ensure_ascii=False)
    except ValueError:
        return text


def found(values: list[str], texts: list[str]) -> list[str]:
    return sorted({value for value in values for text in texts if value in readable(text)})


def unpublished(suite: RunningSuite) -> dict[str, int]:
    counts = {service: rows(suite, service, "SELECT count(*) FROM outbox WHERE published_at IS NULL")[0][0]
              for service in OUTBOXES if has_table(suite, service, "outbox")}
    return {service: count for service, count in counts.items() if count}


def test_after_anonymizing_a_linked_person_no_store_holds_any_of_their_personal_values(
        distributed_suite: RunningSuite) -> None:
    suite, admin = distributed_suite, distributed_suite.client()
    token = uuid.uuid4().hex[:8]
    first, last, renamed = f"Zdenka{token}", f"Tajna{token}", f"Skryta{token}"
    emails = [f"zdenka.{token}@example.cz", f"z.{token}@example.org"]
    number = f"{int(token, 16) % 10**9:09d}"
    phones = [f"+420 6{number[:2]} {number[2:5]} {number[5:8]}", f"+420 7{number[1:3]} {number[3:6]} {number[6:]}"]
    values = [first, last, renamed, *emails, *phones]

    person = admin.created("/persons", {"first_name": first, "last_name": last, "emails": emails[:1],
                                        "phones": phones[:1]})
    path = f"/persons/{person['id']}"
    for change in ({"emails": emails}, {"phones": phones}, {"last_name": renamed}):
        assert admin.patch(path, json=change).status_code == 200
    link = {"type": "person", "id": person["id"]}
    deal = admin.created("/deals", {"name": "Licence", "value": "1000.00", "currency": "CZK", "links": [link]})
    deal_path = f"/deals/{deal['id']}"
    wait_for(lambda: admin.get(deal_path).json()["links"][0]["name"], timeout=TIMEOUT)
    # removed and linked again once the deals service knows the name: both audited changes name the person
    assert admin.delete(f"{deal_path}/links/{person['id']}").status_code in (200, 204)
    assert admin.post(f"{deal_path}/links", json=link).status_code in (200, 201)
    call = next(t["id"] for t in admin.get("/task-types").json()["items"] if t["name"] == "Call")
    task = admin.created_linking("/tasks", {"title": "Call back", "type_id": call, "links": [link]})
    template = admin.created("/interaction-templates", {"code": f"T{token}", "description": "Phone call",
                                                        "method": "phone", "initiated_by": "us"})
    interaction = admin.created_linking("/interactions", {"template_id": template["id"], "contact": link,
                                                          "description": f"{first} asked to call {phones[1]}"})
    [entry] = interaction["items"]
    # the person's values have reached every store that keeps them
    wait_for(lambda: len(admin.audit_entries(object_id=deal["id"])) >= 3
             and admin.audit_entries(object_id=task["id"]) and admin.audit_entries(object_id=entry["id"]),
             timeout=TIMEOUT)
    assert found(values, pages(admin, "/audit/entries")), "the test's values never reached the audit log"

    assert admin.post(f"{path}/anonymize").status_code == 200

    def settled() -> bool:
        return (admin.get(deal_path).json()["links"][0]["name"] == ERASED_NAME
                and admin.get(f"/tasks/{task['id']}").json()["links"][0]["name"] == ERASED_NAME
                and admin.get(f"/interactions/{entry['id']}").json()["description"] is None
                and admin.audit_entries(object_id=entry["id"])[0]["operation"] == "anonymized"
                and admin.audit_entries(object_id=person["id"])[0]["operation"] == "anonymized"
                and [tuple(row) for row in rows(suite, "counters", "SELECT record_name FROM task_copies"
                                                f" WHERE id = '{task['id']}'")] == [(ERASED_NAME,)]
                and not unpublished(suite))
    wait_for(settled, timeout=TIMEOUT, interval=0.3)

    stores = {
        "audit entries": pages(admin, "/audit/entries"),
        "audit export": [admin.get("/audit/entries/export", params={"format": "csv"}).text],
        "interactions": pages(admin, "/interactions"),
        "tasks": [str(row) for row in rows(suite, "tasks", "SELECT body FROM tasks")],
        "counters' copies": [str(row) for table in ("task_copies", "interaction_copies", "counted_items")
                             for row in rows(suite, "counters", f"SELECT * FROM {table}")],
        **{f"{service} outbox": [row[0] for row in rows(suite, service, "SELECT body FROM outbox")]
           for service in OUTBOXES if has_table(suite, service, "outbox")},
    }
    assert {store: found(values, texts) for store, texts in stores.items() if found(values, texts)} == {}
