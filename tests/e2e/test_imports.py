"""Through the gateway, on PostgreSQL + RabbitMQ: a 10,000-row import, its dry run, its audit trail and its re-run."""
from __future__ import annotations

from typing import Any

import pytest

from crm_suite.testing import Client, RunningSuite, wait_for

#: every consumer gets 10,000 events, a backlog no other test should wait behind: it runs last
pytestmark = [pytest.mark.e2e, pytest.mark.backlog]

ROWS = 10_000
#: row number in the file (the header is row 1) → the cell that makes the row invalid
INVALID = {101: ("emails", "not-an-email"), 5_002: ("first_name", ""), 9_999: ("phones", "call me")}


def persons_csv() -> bytes:
    lines = ["first_name;last_name;emails;phones;tags"]
    for number in range(2, ROWS + 2):
        cells = {"first_name": f"Jana{number}", "last_name": "Nováková", "emails": f"jana{number}@example.cz",
                 "phones": "+420 601 000 000", "tags": "import, e2e"}
        if number in INVALID:
            field, value = INVALID[number]
            cells[field] = value
            cells["last_name"] = "" if field == "first_name" else cells["last_name"]
        lines.append(";".join(cells.values()))
    return ("\ufeff" + "\n".join(lines) + "\n").encode("utf-8")


def upload(client: Client, content: bytes, dry_run: bool = False) -> Any:
    return client.post("/persons/import", params={"dry_run": "true"} if dry_run else {},
                       files={"file": ("persons.csv", content, "text/csv")}, timeout=60)


def finished(client: Client, location: str) -> dict[str, Any]:
    path = location.removeprefix("/api/v1")
    return wait_for(lambda: (job := client.get(path).json())["status"] == "done" and job, timeout=60)


def test_ten_thousand_rows_with_three_invalid_import_once_each_audited_with_the_channel_import(
    distributed_suite: RunningSuite,
) -> None:
    suite = distributed_suite
    importer, user = suite.new_user()
    admin = suite.client()
    content = persons_csv()

    preview = upload(importer, content, dry_run=True)
    assert preview.status_code == 200, preview.text
    assert [row["row"] for row in preview.json()["invalid_rows"]] == sorted(INVALID)
    assert preview.json()["created"] == ROWS - 3

    started = upload(importer, content)
    assert started.status_code == 202, started.text
    job = finished(importer, started.headers["Location"])
    assert (job["created"], job["skipped"], job["invalid"]) == (ROWS - 3, 0, 3)
    assert [row["row"] for row in job["invalid_rows"]] == sorted(INVALID)
    assert admin.get(started.headers["Location"].removeprefix("/api/v1")).status_code == 200
    assert suite.new_user()[0].get(started.headers["Location"].removeprefix("/api/v1")).status_code == 404

    # the entry of a person of the last batch first (one small look at a time), then all 9,997: a look at
    # all of them reads 20 pages, so it comes only when the audit consumer is about done
    newest = importer.get("/persons", params={"sort": "-created_at", "limit": 1}).json()["items"][0]
    wait_for(lambda: admin.audit_entries(object_id=newest["id"]), timeout=90, interval=0.5)
    entries = wait_for(lambda: len(found := admin.audit_entries(user_id=user["id"], object_type="person",
                                                                 operation="created")) >= ROWS - 3 and found,
                       timeout=90, interval=2)
    assert len(entries) == ROWS - 3
    assert {entry["channel"] for entry in entries} == {"import"}
    assert len({entry["object_id"] for entry in entries}) == ROWS - 3

    again = finished(importer, upload(importer, content).headers["Location"])
    assert (again["created"], again["skipped"], again["invalid"]) == (0, ROWS - 3, 3)
    assert len(admin.audit_entries(user_id=user["id"], object_type="person", operation="created")) == ROWS - 3
