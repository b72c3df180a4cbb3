"""The deals API on SQLite and PostgreSQL: rules, audited changes, visibility, lists and the summary."""
from __future__ import annotations

import uuid
from collections import Counter
from decimal import Decimal
from pathlib import Path
from typing import Any, Iterator

import pytest

from crm_shared.testing.apps import ApiClient, migrated_app
from crm_shared.testing.tokens import TokenIssuer

from crm_deals.app import create_app
from crm_deals.declaration import SERVICE

issuer = TokenIssuer()
ME = "11111111-1111-1111-1111-111111111111"
BOSS = "22222222-2222-2222-2222-222222222222"
USER = issuer.headers("user", user_id=ME, name="Petr Svoboda", manager_id=BOSS)
MANAGER = issuer.headers("manager", user_id=BOSS, name="Eva Vedoucí", team=[ME])
OTHER_MANAGER = issuer.headers("manager", name="Jiný Vedoucí", team=[str(uuid.uuid4())])
STRANGER = issuer.headers("user", user_id=str(uuid.uuid4()), name="Cizí Člověk")
ADMIN = issuer.headers("admin", name="Admin")


class Api(ApiClient):
    """A test client calling as USER unless told otherwise, that also reads the outbox the writes leave behind."""

    def default_process(self) -> dict[str, Any]:
        return self.ok("GET", "/processes")["items"][0]


@pytest.fixture
def api(any_database_url: str, tmp_path: Path) -> Iterator[Api]:
    with migrated_app(SERVICE, create_app, any_database_url, tmp_path, issuer.verifier()) as app:
        yield Api(app, USER)


def changes_of(event: dict[str, Any]) -> list[tuple[str, Any, Any]]:
    return [(c["field"], c["before"], c["after"]) for c in event["data"]["changes"]]


def test_a_default_process_and_sources_exist_from_the_first_start(api: Api) -> None:
    process = api.default_process()
    assert process["is_default"] is True
    assert [s["name"] for s in process["stages"]][0] == "Qualification"
    assert "Referral" in [s["name"] for s in api.ok("GET", "/deal-sources")["items"]]


def test_creating_a_deal_computes_line_totals_and_value_exactly(api: Api) -> None:
    person = str(uuid.uuid4())
    deal = api.ok("POST", "/deals", 201, json={
        "name": "Licence", "currency": "CZK", "source": "Referral", "planned_close_date": "2026-12-31",
        "links": [{"type": "person", "id": person}],
        "products": [{"product": "Seat", "quantity": "3", "unit_price": "0.10", "discount_percent": "10"},
                     {"code": "SUP-1", "quantity": 1, "unit_price": "1234.565"}],
    })
    assert [line["total"] for line in deal["products"]] == ["0.27", "1234.57"]
    assert deal["value"] == "1234.84"
    assert deal["owner_id"] == ME
    assert deal["links"] == [{"type": "person", "id": person, "name": None}]
    [event] = api.events()
    assert event["type"] == "crm.deal.created"
    assert event["data"]["state"]["links"] == deal["links"]
    assert ("stage", None, "Qualification") in changes_of(event)
    assert api.ok("GET", f"/deals/{deal['id']}")["value"] == "1234.84"


def test_each_audited_change_is_one_updated_event_with_before_and_after(api: Api) -> None:
    process = api.default_process()
    first, second = process["stages"][0], process["stages"][1]
    company = str(uuid.uuid4())
    deal = api.ok("POST", "/deals", 201, json={"name": "D", "value": "100.00", "currency": "EUR"})
    api.ok("PATCH", f"/deals/{deal['id']}", json={"source": "Website"})
    api.ok("PATCH", f"/deals/{deal['id']}", json={"stage_id": second["id"]})
    api.ok("POST", f"/deals/{deal['id']}/links", json={"type": "company", "id": company})
    lined = api.ok("PATCH", f"/deals/{deal['id']}", json={"products": [{"product": "A", "quantity": "2", "unit_price": "5"}]})
    line_id = lined["products"][0]["id"]
    api.ok("PATCH", f"/deals/{deal['id']}", json={"products": [{"id": line_id, "product": "A", "quantity": "3", "unit_price": "5"}]})
    api.ok("DELETE", f"/deals/{deal['id']}/links/{company}")
    api.ok("POST", f"/deals/{deal['id']}/won")
    api.ok("POST", f"/deals/{deal['id']}/reopen", json={})
    api.ok("POST", f"/deals/{deal['id']}/lost", json={"reason": "Too expensive"})
    events = api.events()[1:]
    assert [e["sequence"] for e in events] == list(range(2, 11))
    assert all(e["type"] == "crm.deal.updated" for e in events)
    assert changes_of(events[0]) == [("source", None, "Website")]
    assert changes_of(events[1]) == [("stage", first["name"], second["name"])]
    assert changes_of(events[2]) == [("links", None, {"type": "company", "id": company, "name": None})]
    line = {"id": line_id, "product": "A", "code": None, "quantity": "2", "unit_price": "5",
            "discount_percent": "0", "total": "10.00"}
    assert changes_of(events[3]) == [("value", "100.00", "10.00"), ("products", None, line)]
    assert changes_of(events[4]) == [("value", "10.00", "15.00"),
                                     ("products", line, {**line, "quantity": "3", "total": "15.00"})]
    assert changes_of(events[5]) == [("links", {"type": "company", "id": company, "name": None}, None)]
    assert changes_of(events[6]) == [("status", "open", "won")]
    assert changes_of(events[7]) == [("status", "won", "open")]
    assert changes_of(events[8]) == [("status", "open", "lost"), ("lost_reason", None, "Too expensive")]


@pytest.mark.parametrize(("body", "field"), [
    ({"products": [{"product": "A", "quantity": "-1", "unit_price": "5"}]}, "products.0.quantity"),
    ({"products": [{"product": "A", "quantity": "1", "unit_price": "5", "discount_percent": "100.5"}]},
     "products.0.discount_percent"),
    ({"currency": "XYZ"}, "currency"),
    ({"value": 1.5, "shoe_size": 44}, "shoe_size"),
    ({"source": "Carrier pigeon"}, "source"),
    ({"products": [{"product": "A", "quantity": "1", "unit_price": "5", "total": "1"}]}, "products.0.total"),
])
def test_invalid_input_is_a_422_naming_the_field_and_writes_nothing(api: Api, body: dict[str, Any], field: str) -> None:
    response = api.call("POST", "/deals", json={"name": "Bad", **body})
    assert response.status_code == 422
    assert response.headers["Content-Type"].startswith("application/problem+json")
    assert field in response.get_json()["errors"]
    assert api.events() == []


def test_an_unknown_process_is_a_422_on_process_id_and_reopen_needs_no_body(api: Api) -> None:
    response = api.call("POST", "/deals", json={"name": "D", "process_id": str(uuid.uuid4())})
    assert response.status_code == 422 and "process_id" in response.get_json()["errors"]
    deal = api.ok("POST", "/deals", 201, json={"name": "D"})
    api.ok("POST", f"/deals/{deal['id']}/lost", json={"reason": "No budget"})
    reopened = api.ok("POST", f"/deals/{deal['id']}/reopen")
    assert (reopened["status"], reopened["lost_reason"]) == ("open", None)


def test_a_stage_of_another_process_is_refused(api: Api) -> None:
    other = api.ok("POST", "/processes", 201, headers=MANAGER, json={"name": "Other", "stages": [{"name": "X"}]})
    response = api.call("POST", "/deals", json={"name": "D", "stage_id": other["stages"][0]["id"]})
    assert response.status_code == 422
    assert "stage_id" in response.get_json()["errors"]
    assert [e["type"] for e in api.events()] == ["crm.process.created"]


def test_a_closed_deal_changes_stage_or_products_only_after_reopening(api: Api) -> None:
    stages = api.default_process()["stages"]
    deal = api.ok("POST", "/deals", 201, json={"name": "D"})
    api.ok("POST", f"/deals/{deal['id']}/won")
    response = api.call("PATCH", f"/deals/{deal['id']}", json={"stage_id": stages[2]["id"]})
    assert response.status_code == 422 and "stage_id" in response.get_json()["errors"]
    assert api.call("POST", f"/deals/{deal['id']}/won").status_code == 409
    api.ok("POST", f"/deals/{deal['id']}/reopen", json={"stage_id": stages[2]["id"]})
    assert api.ok("GET", f"/deals/{deal['id']}")["stage_name"] == stages[2]["name"]


def test_stages_are_renamed_reordered_added_and_removed_unless_an_open_deal_uses_them(api: Api) -> None:
    process = api.default_process()
    s = process["stages"]
    deal = api.ok("POST", "/deals", 201, json={"name": "D", "stage_id": s[1]["id"]})
    blocked = api.call("PATCH", f"/processes/{process['id']}", headers=ADMIN, json={"stages": [s[0], s[2], s[3]]})
    assert blocked.status_code == 409
    wanted = [{"id": s[1]["id"], "name": "Analysis"}, s[0], {"name": "Contract"}]
    changed = api.ok("PATCH", f"/processes/{process['id']}", headers=ADMIN, json={"stages": wanted})
    assert [x["name"] for x in changed["stages"]] == ["Analysis", "Qualification", "Contract"]
    assert api.ok("GET", f"/deals/{deal['id']}")["stage_name"] == "Analysis"
    assert changes_of(api.events()[-1]) == [("stages", [x["name"] for x in s], ["Analysis", "Qualification", "Contract"])]


def test_only_the_owner_their_manager_and_admins_see_a_deal(api: Api) -> None:
    deal = api.ok("POST", "/deals", 201, json={"name": "Mine"})
    assert api.call("GET", f"/deals/{deal['id']}", headers=MANAGER).status_code == 200
    assert api.call("GET", f"/deals/{deal['id']}", headers=ADMIN).status_code == 200
    assert api.call("GET", f"/deals/{deal['id']}", headers=STRANGER).status_code == 404
    assert api.call("GET", f"/deals/{deal['id']}", headers=OTHER_MANAGER).status_code == 404
    assert api.call("POST", f"/deals/{deal['id']}/won", headers=STRANGER).status_code == 404
    assert api.ok("GET", "/deals", headers=STRANGER)["items"] == []
    assert len(api.ok("GET", "/deals", headers=MANAGER)["items"]) == 1


def test_lists_filter_and_page_and_the_summary_counts_per_stage(api: Api) -> None:
    stages = api.default_process()["stages"]
    person = str(uuid.uuid4())
    expected: Counter[str] = Counter()
    totals: dict[str, Decimal] = {}
    for n in range(12):
        stage = stages[n % 3]
        body = {"name": f"D{n}", "value": f"{n}.25", "stage_id": stage["id"], "planned_close_date": f"2026-12-{n + 1:02d}"}
        if n % 4 == 0:
            body["links"] = [{"type": "person", "id": person}]
        api.ok("POST", "/deals", 201, json=body)
        expected[stage["name"]] += 1
        totals[stage["name"]] = totals.get(stage["name"], Decimal(0)) + Decimal(f"{n}.25")
    seen, cursor = [], None
    while True:
        page = api.ok("GET", "/deals", query_string={"limit": 5, **({"cursor": cursor} if cursor else {})})
        seen += [item["name"] for item in page["items"]]
        if not (cursor := page["next_cursor"]):
            break
    assert sorted(seen) == sorted(f"D{n}" for n in range(12))
    assert len(api.ok("GET", "/deals", query_string={"contact_id": person})["items"]) == 3
    assert len(api.ok("GET", "/deals", query_string={"stage_id": stages[0]["id"]})["items"]) == 4
    window = api.ok("GET", "/deals", query_string={"close_from": "2026-12-03", "close_to": "2026-12-05"})
    assert sorted(item["name"] for item in window["items"]) == ["D2", "D3", "D4"]
    summary = api.ok("GET", "/deals/summary")
    assert {s["name"]: s["count"] for s in summary["stages"] if s["count"]} == dict(expected)
    assert {s["name"]: s["totals"][0]["value"] for s in summary["stages"] if s["count"]} == {
        name: f"{total:.2f}" for name, total in totals.items()}
