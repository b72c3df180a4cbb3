"""Hostile input to the audit API is a problem naming the field, never a server error."""
from __future__ import annotations

import base64
import json
from typing import Any

import pytest
from flask.testing import FlaskClient

ENTRIES = "/api/v1/audit/entries"
PATHS = [ENTRIES, f"{ENTRIES}/export", "/api/v1/audit/objects/person/p-1/history", f"{ENTRIES}/e-1"]


def refused(response: Any) -> dict[str, list[str]]:
    assert response.status_code == 422, response.get_json()
    assert response.mimetype == "application/problem+json"
    return response.get_json()["errors"]


@pytest.mark.parametrize("path", [ENTRIES, f"{ENTRIES}/export?format=csv"])
def test_times_at_the_ends_of_the_calendar_are_422_naming_them(client: FlaskClient, tokens, path: str) -> None:  # type: ignore[no-untyped-def]
    joiner = "&" if "?" in path else "?"
    early, late = "from=0001-01-01T00:00:00%2B14:00", "to=9999-12-31T23:59:59-14:00"
    assert "from" in refused(client.get(f"{path}{joiner}{early}", headers=tokens.headers()))
    assert "to" in refused(client.get(f"{path}{joiner}{late}", headers=tokens.headers()))
    both = refused(client.get(f"{path}{joiner}{early}&{late}", headers=tokens.headers()))
    assert {"from", "to"} <= set(both)


def test_the_ends_of_the_calendar_in_utc_are_accepted(client: FlaskClient, tokens) -> None:  # type: ignore[no-untyped-def]
    response = client.get(f"{ENTRIES}?from=0001-01-01T00:00:00Z&to=9999-12-31T23:59:59Z", headers=tokens.headers())
    assert response.status_code == 200, response.get_json()


@pytest.mark.parametrize("path", PATHS)
def test_options_answers_without_a_token(client: FlaskClient, path: str) -> None:
    response = client.options(path)
    assert response.status_code == 200 and "GET" in response.headers["Allow"]


@pytest.mark.parametrize("key", [[1, 2], None, {"a": 1}, ["2026-11-22T10:15:00", "e"],
                                 ["0001-01-01T00:00:00+14:00", "e"], ["2026-11-22T10:15:00+00:00", None],
                                 ["2026-11-22T10:15:00+00:00", "e\u0000"]])
def test_a_forged_cursor_is_a_422_on_cursor(client: FlaskClient, tokens, key: Any) -> None:  # type: ignore[no-untyped-def]
    cursor = base64.urlsafe_b64encode(json.dumps(key).encode()).decode().rstrip("=")
    assert "cursor" in refused(client.get(f"{ENTRIES}?cursor={cursor}", headers=tokens.headers()))


def test_nul_in_a_filter_is_a_422_naming_it(client: FlaskClient, tokens) -> None:  # type: ignore[no-untyped-def]
    assert "object_id" in refused(client.get(f"{ENTRIES}?object_id=p%00", headers=tokens.headers()))
