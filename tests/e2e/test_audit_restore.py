"""Through the gateway: restoring a field from an audit entry is a new audited change of the owning service."""
from __future__ import annotations

from typing import Any

import pytest

from crm_suite.testing import Client, RunningSuite, wait_for

pytestmark = pytest.mark.e2e

OLD, NEW = ["+420 111 222 333"], ["+420 777 888 999"]


def entries_of(client: Client, object_id: str, count: int) -> list[dict[str, Any]]:
    return wait_for(lambda: len(found := client.audit_entries(object_id=object_id)) >= count and found, timeout=5)


def restore(client: Client, entry: dict[str, Any], field: str = "phones") -> Any:
    return client.post(f"/audit/entries/{entry['id']}/restore", json={"field": field})


def test_restoring_a_phone_number_brings_it_back_with_an_entry_pointing_at_the_one_restored(
    suite: RunningSuite,
) -> None:
    admin = suite.client()
    person = admin.created("/persons", {"first_name": "Jana", "last_name": "Nováková", "phones": OLD})
    assert admin.patch(f"/persons/{person['id']}", json={"phones": NEW}).status_code == 200
    changed = entries_of(admin, person["id"], 2)[0]

    restored = restore(admin, changed)
    assert restored.status_code == 200, restored.text
    assert admin.get(f"/persons/{person['id']}").json()["phones"] == OLD
    newest = entries_of(admin, person["id"], 3)[0]
    assert newest["restored_from"] == changed["id"] and newest["operation"] == "updated"
    assert newest["changes"] == [{"field": "phones", "before": NEW, "after": OLD}]
    assert newest["correlation_id"] == restored.headers["X-Request-ID"] and newest["channel"] == "api"

    stale = restore(admin, changed)  # the phone is no longer what that entry left
    assert stale.status_code == 409 and "changed since" in stale.json()["detail"], stale.text


def test_a_restore_against_a_record_locked_by_another_user_answers_423_and_changes_nothing(
    suite: RunningSuite,
) -> None:
    alice, _ = suite.new_user(prefix="alice")
    admin = suite.client()
    person = alice.created("/persons", {"last_name": "Zamčená", "phones": OLD})
    assert alice.patch(f"/persons/{person['id']}", json={"phones": NEW}).status_code == 200
    assert alice.post(f"/persons/{person['id']}/lock").status_code == 200
    changed = entries_of(admin, person["id"], 3)[1]
    before = admin.get(f"/persons/{person['id']}")

    refused = restore(admin, changed)
    assert refused.status_code == 423, refused.text
    assert refused.headers["Content-Type"].startswith("application/problem+json")
    after = admin.get(f"/persons/{person['id']}")
    assert (after.headers["ETag"], after.json()["phones"]) == (before.headers["ETag"], NEW)
    assert alice.post(f"/persons/{person['id']}/unlock").status_code == 200  # a later change, as a marker
    entries = entries_of(admin, person["id"], 4)
    assert [e["operation"] for e in entries] == ["unlocked", "locked", "updated", "created"]
    assert not any(e["restored_from"] for e in entries)
