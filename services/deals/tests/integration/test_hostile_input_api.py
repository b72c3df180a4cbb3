"""Hostile input to the deals API is a problem naming the field, never a server error."""
from __future__ import annotations

import base64
import json
from typing import Any

import pytest

from crm_deals.adapters.repository import SORTS

from .test_api import ADMIN, Api, api  # noqa: F401  (the fixture)

FORGED = [[1, 2], None, {"a": 1}, ["2026-11-22T10:15:00", "x"], ["0001-01-01T00:00:00+14:00", "x"],
          ["9999-12-31T23:59:59-14:00", "x"], ["x", None], [None, "x"], ["2026-11-22T10:15:00+00:00", None],
          ["2026-11-22T10:15:00+00:00", "x\u0000"], "text", [1.5, 2.5], []]


def forged(value: Any) -> str:
    return base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("=")


def refused(response: Any, status: int = 422) -> dict[str, list[str]]:
    assert response.status_code == status, response.get_json()
    assert response.mimetype == "application/problem+json"
    return response.get_json().get("errors", {})


def deal(api: Api, **values: Any) -> Any:
    return api.call("POST", "/deals", json={"name": "Big one", "currency": "CZK", **values})


@pytest.mark.parametrize("sort", list(SORTS))
def test_a_forged_cursor_is_a_422_on_cursor_for_every_sort(api: Api, sort: str) -> None:
    for value in FORGED:
        assert "cursor" in refused(api.call("GET", f"/deals?sort={sort}&cursor={forged(value)}"))


@pytest.mark.parametrize("value", ["1e400", "123456789012345678901", "-1e15", 1e300, "100000000000000"])
def test_a_value_out_of_range_is_a_422_on_value(api: Api, value: Any) -> None:
    assert "value" in refused(deal(api, value=value))


def test_a_line_whose_total_is_out_of_range_names_its_quantity_and_price(api: Api) -> None:
    lines = [{"product": "Gold", "quantity": "99999999", "unit_price": "99999999"}]
    errors = refused(deal(api, products=lines))
    assert {"products.0.quantity", "products.0.unit_price"} <= set(errors)


def test_lines_summing_out_of_range_are_a_422_on_products(api: Api) -> None:
    lines = [{"product": "Gold", "quantity": "1", "unit_price": "90000000000000"}] * 2
    assert "products" in refused(deal(api, products=lines))


def test_the_largest_value_in_range_is_stored_exactly(api: Api) -> None:
    response = deal(api, value="99999999999999.99")
    assert response.status_code == 201, response.get_json()
    assert api.ok("GET", f"/deals/{response.get_json()['id']}")["value"] == "99999999999999.99"


def test_nul_in_a_body_and_options_without_a_token(api: Api) -> None:
    assert "name" in refused(deal(api, name="Big\u0000one"))
    assert api.client.options("/api/v1/deals").status_code == 200


@pytest.mark.parametrize("path", ["/processes", "/deal-sources"])
def test_processes_and_sources_page_with_limit_and_cursor(api: Api, path: str) -> None:
    body = {"name": "Extra", "stages": [{"name": "One"}]} if path == "/processes" else {"name": "Extra"}
    api.ok("POST", path, 201, json=body, headers=ADMIN)
    everything = api.ok("GET", path)["items"]
    pages, cursor = [], None
    while True:
        page = api.ok("GET", path + "?limit=1" + (f"&cursor={cursor}" if cursor else ""))
        pages += page["items"]
        if (cursor := page["next_cursor"]) is None:
            break
    assert pages == everything and len(everything) >= 2
    assert "cursor" in refused(api.call("GET", f"{path}?cursor={forged(['x', 'y', 'z'])}"))
