"""Hostile input to the contacts API is a problem naming the field, never a server error."""
from __future__ import annotations

import base64
import json
from typing import Any

import pytest

from crm_contacts.adapters.listing import SORTS

from .conftest import ContactsApi

#: refused whatever the list sorts by
FORGED = [[1, 2], None, {"a": 1}, ["x", None], [None, "x"], [["x"], "x"], ["x\u0000", "y"], ["x", "y\ud800"],
          "just text", [1.5, 2.5], ["a", "b", "c"], []]
#: refused where the list sorts by a timestamp
FORGED_TIMES = [["2026-11-22T10:15:00", "x"], ["0001-01-01T00:00:00+14:00", "x"],
                ["9999-12-31T23:59:59-14:00", "x"], ["not a time", "x"]]


def forged(value: Any) -> str:
    return base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("=")


def assert_problem(response: Any, status: int, field: str) -> None:
    assert response.status_code == status, response.get_json()
    assert response.mimetype == "application/problem+json"
    assert field in response.get_json()["errors"]


@pytest.mark.parametrize("kind", ["persons", "companies"])
@pytest.mark.parametrize("sort", list(SORTS))
def test_a_forged_cursor_is_a_422_on_cursor_for_every_sort(contacts: ContactsApi, kind: str, sort: str) -> None:
    for value in FORGED + (FORGED_TIMES if "_at" in sort else []):
        assert_problem(contacts.call("GET", f"/{kind}?sort={sort}&cursor={forged(value)}"), 422, "cursor")


@pytest.mark.parametrize("kind", ["persons", "companies"])
def test_a_real_cursor_still_pages_every_sort(contacts: ContactsApi, kind: str) -> None:
    for name in ("Alpha", "Beta", "Gamma"):
        contacts.create(f"/{kind}", **({"last_name": name} if kind == "persons" else {"name": name}))
    for sort in SORTS:
        first = contacts.call("GET", f"/{kind}?sort={sort}&limit=2").get_json()
        second = contacts.call("GET", f"/{kind}?sort={sort}&limit=2&cursor={first['next_cursor']}").get_json()
        assert len(first["items"]) == 2 and len(second["items"]) == 1 and second["next_cursor"] is None


def test_nul_and_lone_surrogates_in_a_body_are_422_naming_the_field(contacts: ContactsApi) -> None:
    nul = contacts.call("POST", "/persons", json={"first_name": "Ja\u0000na", "last_name": "N"})
    assert_problem(nul, 422, "first_name")
    surrogate = contacts.call("POST", "/persons", data=b'{"last_name": "N", "tags": ["\\ud800"]}',
                              headers={"Content-Type": "application/json"})
    assert_problem(surrogate, 422, "tags.0")
    assert contacts.events() == []


def test_nul_in_the_query_and_the_path_is_a_422(contacts: ContactsApi) -> None:
    assert_problem(contacts.call("GET", "/persons?q=a%00b"), 422, "q")
    assert_problem(contacts.call("GET", "/groups/a%00b"), 422, "path")


def test_json_nested_three_thousand_deep_is_a_400(contacts: ContactsApi) -> None:
    body = b'{"last_name": "N", "tags": ' + b"[" * 3000 + b"]" * 3000 + b"}"
    response = contacts.call("POST", "/persons", data=body, headers={"Content-Type": "application/json"})
    assert response.status_code == 400 and response.mimetype == "application/problem+json"


def test_options_needs_no_token_on_any_path(contacts: ContactsApi) -> None:
    for path in ("/api/v1/persons", "/api/v1/groups", "/api/v1/companies/export.csv"):
        response = contacts.client.options(path)
        assert response.status_code == 200 and "GET" in response.headers["Allow"]


def test_groups_page_by_name_with_limit_and_cursor(contacts: ContactsApi) -> None:
    for name in ("C group", "A group", "B group"):
        contacts.create("/groups", name=name)
    first = contacts.call("GET", "/groups?limit=2").get_json()
    second = contacts.call("GET", f"/groups?limit=2&cursor={first['next_cursor']}").get_json()
    assert [g["name"] for g in first["items"] + second["items"]] == ["A group", "B group", "C group"]
    assert second["next_cursor"] is None
    assert_problem(contacts.call("GET", f"/groups?cursor={forged([1, 2])}"), 422, "cursor")
