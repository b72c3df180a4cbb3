"""Through the gateway and on each service's own port: hostile input is a problem, never a server error."""
from __future__ import annotations

import base64
import json
from typing import Any

import pytest
import requests

from crm_suite.testing import RunningSuite

pytestmark = pytest.mark.e2e

PROBLEM = "application/problem+json"


def problem(response: requests.Response, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["Content-Type"].startswith(PROBLEM), response.headers
    body = response.json()
    assert body["status"] == status
    return body


def forged(value: Any) -> str:
    return base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("=")


def test_hostile_bodies_are_problems_naming_the_field(suite: RunningSuite) -> None:
    client = suite.client()
    assert "first_name" in problem(client.post("/persons", json={"first_name": "a\u0000b"}), 422)["errors"]
    surrogate = client.post("/persons", data=b'{"last_name": "\\udc00"}', headers={"Content-Type": "application/json"})
    assert "last_name" in problem(surrogate, 422)["errors"]
    deep = b'{"last_name": "N", "tags": ' + b"[" * 3000 + b"]" * 3000 + b"}"
    problem(client.post("/persons", data=deep, headers={"Content-Type": "application/json"}), 400)
    assert "value" in problem(client.post("/deals", json={"name": "Huge", "value": "1e400"}), 422)["errors"]


def test_forged_cursors_and_nul_in_queries_are_422(suite: RunningSuite) -> None:
    client = suite.client()
    for path in ("/persons?sort=name", "/companies?sort=-updated_at", "/deals?sort=created_at", "/groups",
                 "/processes", "/deal-sources", "/audit/entries"):
        for key in ([1, 2], None, [["x"], "x"]):
            assert "cursor" in problem(client.get(path, params={"cursor": forged(key)}), 422)["errors"]
    assert "q" in problem(client.get("/persons?q=a%00b"), 422)["errors"]


def test_audit_times_at_the_ends_of_the_calendar_are_422(suite: RunningSuite) -> None:
    client = suite.client()
    for path in ("/audit/entries", "/audit/entries/export?format=csv"):
        joiner = "&" if "?" in path else "?"
        query = "from=0001-01-01T00:00:00%2B14:00&to=9999-12-31T23:59:59-14:00"
        assert {"from", "to"} <= set(problem(client.get(f"{path}{joiner}{query}"), 422)["errors"])


def test_options_needs_no_token_at_the_gateway_or_any_service(suite: RunningSuite) -> None:
    paths = {"gateway": "/api/v1/audit/entries", "audit": "/api/v1/audit/entries",
             "contacts": "/api/v1/persons", "deals": "/api/v1/processes"}
    for service, path in paths.items():
        base = suite.gateway if service == "gateway" else suite.url(service)
        response = requests.options(f"{base}{path}", timeout=10)
        assert response.status_code == 200 and "GET" in response.headers["Allow"], (service, response.text)


@pytest.mark.parametrize("service", ["gateway", "contacts", "audit", "deals"])
def test_over_long_urls_are_414_and_over_long_headers_431_as_problems(suite: RunningSuite, service: str) -> None:
    base = suite.gateway if service == "gateway" else suite.url(service)
    token = suite.client().token
    headers = {"Authorization": f"Bearer {token}"}
    problem(requests.get(f"{base}/api/v1/persons?q={'a' * 10_000}", headers=headers, timeout=10), 414)
    problem(requests.get(f"{base}/api/v1/persons", headers={**headers, "X-Note": "a" * 10_000}, timeout=10), 431)
