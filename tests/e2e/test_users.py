"""Through the gateway: an admin manages a user; the deactivated user's token dies everywhere within 5 s."""
from __future__ import annotations

import json
from typing import Any

import pytest
import requests

from crm_suite.testing import Client, RunningSuite, wait_for

pytestmark = pytest.mark.e2e

PASSWORD = "bob-secret-pass"
WRONG = "not-bobs-password-42"


def entries_of(client: Client, object_id: str, operations: set[str], timeout: float = 10.0) -> list[dict[str, Any]]:
    """Return the object's audit entries once every one of `operations` is among them."""
    return wait_for(lambda: (found := client.audit_entries(object_id=object_id))
                    and operations <= {entry["operation"] for entry in found} and found, timeout=timeout)


def test_a_deactivated_users_token_is_refused_at_the_gateway_and_at_the_service_within_five_seconds(
    suite: RunningSuite,
) -> None:
    admin = suite.client()
    username = f"bob-{suite.ports['gateway']}-{'d' if suite.distributed else 'e'}"
    created = admin.post("/users", json={"username": username, "password": PASSWORD, "name": "Bob Builder",
                                         "email": "bob@example.cz", "role": "user"})
    assert created.status_code == 201, created.text
    bob_id = created.json()["id"]
    bob = suite.client(username, PASSWORD)
    direct = requests.Session()
    direct.headers["Authorization"] = f"Bearer {bob.token}"
    assert bob.get("/persons").status_code == 200
    assert direct.get(f"{suite.url('contacts')}/api/v1/persons", timeout=10).status_code == 200

    assert admin.patch(f"/users/{bob_id}", json={"active": False}).status_code == 200

    def refused_everywhere() -> bool:
        through_gateway = bob.get("/persons")
        at_contacts = direct.get(f"{suite.url('contacts')}/api/v1/persons", timeout=10)
        return through_gateway.status_code == 401 and at_contacts.status_code == 401

    wait_for(refused_everywhere, timeout=5.0, interval=0.1)
    answer = direct.get(f"{suite.url('contacts')}/api/v1/persons", timeout=10)
    assert answer.json()["detail"] == "The token is invalid or expired."

    entries = entries_of(admin, bob_id, {"created", "updated"})
    updated = next(entry for entry in entries if entry["operation"] == "updated")
    assert updated["object_type"] == "user" and updated["object_link"] == f"/api/v1/users/{bob_id}"
    assert updated["changes"] == [{"field": "active", "before": True, "after": False}]
    assert updated["user"]["name"] == "Administrator"
    created_entry = next(entry for entry in entries if entry["operation"] == "created")
    assert {"field": "username", "before": None, "after": username} in created_entry["changes"]


def test_a_failed_login_is_in_the_audit_log_without_the_password(suite: RunningSuite) -> None:
    admin = suite.client()
    me = admin.get("/auth/me").json()
    refused = requests.post(f"{suite.gateway}/api/v1/auth/token", json={"username": "admin", "password": WRONG},
                            timeout=10)
    assert refused.status_code == 401
    entries = entries_of(admin, me["id"], {"login_failed", "created"})
    failed = next(entry for entry in entries if entry["operation"] == "login_failed")
    bootstrapped = next(entry for entry in entries if entry["operation"] == "created")
    assert bootstrapped["user"]["id"] == "system"  # the first admin, made by the bootstrap
    assert failed["object_type"] == "user" and failed["user"]["id"] == me["id"]
    assert failed["changes"] == [{"field": "username", "before": None, "after": "admin"}]
    assert WRONG not in json.dumps(entries)
