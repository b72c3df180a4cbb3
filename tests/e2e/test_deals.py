"""Through the gateway: deals, their audited changes, contacts merged and deleted under them, the pipeline."""
from __future__ import annotations

import random
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from typing import Any

import pytest
import requests

from crm_suite.testing import Client, RunningSuite, wait_for

pytestmark = pytest.mark.e2e


def entries_of(client: Client, object_id: str, count: int, timeout: float = 30.0) -> list[dict[str, Any]]:
    """Return the deal's audit entries oldest first, once there are `count` of them."""
    found = wait_for(lambda: (items := client.audit_entries(object_id=object_id)) and len(items) >= count and items,
                     timeout=timeout)
    return list(reversed(found))  # type: ignore[arg-type]


def link(kind: str, record: dict[str, Any], name: str) -> dict[str, Any]:
    return {"type": kind, "id": record["id"], "name": name}


def names_known(client: Client, deal_id: str, count: int) -> dict[str, Any]:
    """Wait until the deals service has heard of every linked contact (their events arrived)."""
    return wait_for(lambda: (deal := client.get(f"/deals/{deal_id}").json())
                    and len(deal["links"]) == count and all(x["name"] for x in deal["links"]) and deal,
                    timeout=30)  # type: ignore[return-value]


def test_every_change_of_a_deal_is_its_own_audit_entry_with_exact_before_and_after(suite: RunningSuite) -> None:
    admin = suite.client()
    jana = admin.created("/persons", {"first_name": "Jana", "last_name": "Nováková"})
    petr = admin.created("/persons", {"first_name": "Petr", "last_name": "Dvořák"})
    acme = admin.created("/companies", {"name": "Acme s.r.o."})
    process = admin.created("/processes", {"name": f"E2E {time.monotonic_ns()}",
                                             "stages": [{"name": "Lead"}, {"name": "Offer"}, {"name": "Contract"}]})
    lead, offer, _ = process["stages"]
    # linked the moment the contacts exist: accepted at once, names filled in when their events arrive
    deal = admin.created("/deals", {"name": "Licence", "value": "1000.00", "currency": "CZK",
                                     "process_id": process["id"],
                                     "links": [{"type": "person", "id": jana["id"]}, {"type": "company", "id": acme["id"]}]})
    names_known(admin, deal["id"], 2)
    path = f"/deals/{deal['id']}"
    steps = [
        ("PATCH", path, {"source": "Referral"}),
        ("PATCH", path, {"planned_close_date": "2026-12-31"}),
        ("PATCH", path, {"stage_id": offer["id"]}),
        ("PATCH", path, {"products": [{"product": "Seat", "quantity": "3", "unit_price": "499.90",
                                       "discount_percent": "10"}]}),
        ("POST", f"{path}/links", {"type": "person", "id": petr["id"]}),
        ("DELETE", f"{path}/links/{acme['id']}", None),
        ("POST", f"{path}/won", None),
        ("POST", f"{path}/reopen", {}),
        ("POST", f"{path}/lost", {"reason": "Budget cut"}),
    ]
    for method, url, body in steps:
        if body and "type" in body:
            names_known(admin, deal["id"], 2)
        response = admin.request(method, url, json=body)
        assert response.status_code == 200, (url, response.text)
    line = response.json()["products"][0]
    entries = entries_of(admin, deal["id"], 10)

    assert [e["operation"] for e in entries] == ["created"] + ["updated"] * 9
    assert all(e["object_type"] == "deal" and e["object_name"] == "Licence" for e in entries)
    first = {c["field"]: c for c in entries[0]["changes"]}
    assert first["stage"]["after"] == "Lead" and first["value"]["after"] == "1000.00"
    assert sorted(c["after"]["id"] for c in entries[0]["changes"] if c["field"] == "links") == sorted(
        [jana["id"], acme["id"]])
    changes = [[(c["field"], c["before"], c["after"]) for c in e["changes"]] for e in entries[1:]]
    assert changes == [
        [("source", None, "Referral")],
        [("planned_close_date", None, "2026-12-31")],
        [("stage", "Lead", "Offer")],
        [("value", "1000.00", "1349.73"), ("products", None, {
            "id": line["id"], "product": "Seat", "code": None, "quantity": "3", "unit_price": "499.90",
            "discount_percent": "10", "total": "1349.73"})],
        [("links", None, link("person", petr, "Petr Dvořák"))],
        [("links", link("company", acme, "Acme s.r.o."), None)],
        [("status", "open", "won")],
        [("status", "won", "open")],
        [("status", "open", "lost"), ("lost_reason", None, "Budget cut")],
    ]
    assert lead["name"] == "Lead"


def test_merging_persons_moves_the_link_and_deleting_one_removes_it_both_audited(suite: RunningSuite) -> None:
    admin = suite.client()
    keep = admin.created("/persons", {"first_name": "Jan", "last_name": "Pravý"})
    twin = admin.created("/persons", {"first_name": "Jan", "last_name": "Dvojník"})
    doomed = admin.created("/persons", {"first_name": "Karel", "last_name": "Odchozí"})
    deal = admin.created("/deals", {"name": "Merge me",
                                     "links": [{"type": "person", "id": twin["id"]}, {"type": "person", "id": doomed["id"]}]})
    names_known(admin, deal["id"], 2)
    merged = admin.post(f"/persons/{keep['id']}/merge", json={"source_id": twin["id"]})
    assert merged.status_code == 200, merged.text
    wait_for(lambda: [x["id"] for x in admin.get(f"/deals/{deal['id']}").json()["links"]] == [keep["id"], doomed["id"]],
             timeout=30)
    # the contacts service learns of the deal's links from the deal's events: deleting needs the cascade
    wait_for(lambda: admin.delete(f"/persons/{doomed['id']}", params={"cascade": "true"}).status_code == 204, timeout=30)
    wait_for(lambda: [x["id"] for x in admin.get(f"/deals/{deal['id']}").json()["links"]] == [keep["id"]], timeout=30)

    entries = entries_of(admin, deal["id"], 3)
    moved, removed = entries[1], entries[2]
    # the link moves for the admin who merged, by automation; the deleted person's link goes by the system
    assert (moved["user"]["id"], moved["channel"]) == (admin.get("/auth/me").json()["id"], "automation")
    assert (removed["user"]["id"], removed["channel"]) == ("system", "system")
    assert [(c["before"], c["after"]) for c in moved["changes"]] == [
        (link("person", twin, "Jan Dvojník"), None), (None, link("person", keep, "Jan Pravý"))]
    assert [(c["field"], c["before"], c["after"]) for c in removed["changes"]] == [
        ("links", link("person", doomed, "Karel Odchozí"), None)]
    assert admin.get("/deals", params={"contact_id": keep["id"]}).json()["items"][0]["id"] == deal["id"]


@pytest.mark.parametrize(("body", "field"), [
    ({"products": [{"product": "A", "quantity": "-1", "unit_price": "5"}]}, "products.0.quantity"),
    ({"products": [{"product": "A", "quantity": "1", "unit_price": "5", "discount_percent": "150"}]},
     "products.0.discount_percent"),
    ({"currency": "XXY"}, "currency"),
    ({"stage_id": "other-process"}, "stage_id"),
])
def test_invalid_deals_are_422_naming_the_field_and_write_nothing(suite: RunningSuite, body: dict[str, Any],
                                                                 field: str) -> None:
    admin = suite.client()
    if body.get("stage_id") == "other-process":
        other = admin.created("/processes", {"name": f"Other {time.monotonic_ns()}", "stages": [{"name": "Only"}]})
        body = {"stage_id": other["stages"][0]["id"]}
    name = f"Invalid {time.monotonic_ns()}"
    response = admin.post("/deals", json={"name": name, **body})
    assert response.status_code == 422, response.text
    assert response.headers["Content-Type"].startswith("application/problem+json")
    assert field in response.json()["errors"]
    marker = admin.created("/deals", {"name": f"Marker {time.monotonic_ns()}"})
    entries_of(admin, marker["id"], 1)
    names = [item["name"] for item in admin.get("/deals", params={"limit": 500}).json()["items"]]
    assert name not in names
    assert not [e for e in admin.audit_entries(object_type="deal") if e["object_name"] == name]


def test_the_pipeline_summary_matches_an_independent_count_over_a_thousand_deals(suite: RunningSuite) -> None:
    admin = suite.client()
    process = admin.created("/processes", {"name": f"Pipeline {time.monotonic_ns()}",
                                             "stages": [{"name": n} for n in ("A", "B", "C", "D")]})
    stages = process["stages"]
    rng = random.Random(7)
    planned = [(rng.choice(stages), Decimal(rng.randint(0, 10_000_00)) / 100) for _ in range(1000)]
    counts = Counter(stage["name"] for stage, _ in planned)
    totals: dict[str, Decimal] = {}
    for stage, value in planned:
        totals[stage["name"]] = totals.get(stage["name"], Decimal(0)) + value
    url = f"{admin.base_url}/api/v1/deals"
    local = threading.local()

    def create(n: int) -> int:
        if not hasattr(local, "session"):
            local.session = requests.Session()
            local.session.headers["Authorization"] = f"Bearer {admin.token}"
        stage, value = planned[n]
        return local.session.post(url, json={"name": f"P{n}", "value": str(value), "currency": "EUR",
                                             "process_id": process["id"], "stage_id": stage["id"]},
                                  timeout=30).status_code

    with ThreadPoolExecutor(max_workers=4) as pool:
        assert set(pool.map(create, range(1000))) == {201}
    summary = admin.get("/deals/summary", params={"process_id": process["id"]}).json()
    assert summary["count"] == 1000
    assert {s["name"]: s["count"] for s in summary["stages"]} == {s["name"]: counts[s["name"]] for s in stages}
    assert {s["name"]: s["totals"] for s in summary["stages"] if s["count"]} == {
        name: [{"currency": "EUR", "value": f"{total:.2f}"}] for name, total in totals.items()}
