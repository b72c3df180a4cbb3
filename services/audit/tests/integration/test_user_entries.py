"""The gateway's user events become audit entries of object type `user`, with a link to the user."""
from __future__ import annotations

import uuid
from datetime import datetime, timezone
from typing import Any, Callable

from flask.testing import FlaskClient

from crm_shared.envelope import CloudEvent

USER = "aaaaaaaa-0000-4000-8000-000000000001"
ADMIN = "dddddddd-0000-4000-8000-000000000004"


def gateway_event(operation: str, changes: list[dict[str, Any]], *, actor: str = ADMIN, sequence: int = 1,
                  **extra: Any) -> CloudEvent:
    """An event as the gateway publishes it (its wire shape, written out here on purpose)."""
    return CloudEvent(
        id=str(uuid.uuid4()), source="/crm/gateway", type=f"crm.user.{operation}", subject=USER,
        time=datetime.now(timezone.utc), actorid=actor, actorname="Ada Admin" if actor == ADMIN else "system",
        correlationid=str(uuid.uuid4()), sequence=sequence,
        data={"object_type": "user", "object_id": USER, "object_name": "Jana", "object_link": f"/api/v1/users/{USER}",
              "operation": operation, "changes": changes, "state": {"id": USER, "active": False}, **extra},
        channel="api" if actor == ADMIN else "system",
    )


def test_user_created_updated_and_failed_logins_are_entries_of_the_user(
    record: Callable[[list[CloudEvent]], None], client: FlaskClient, tokens: Any
) -> None:
    record([
        gateway_event("created", [{"field": "username", "before": None, "after": "jana"}]),
        gateway_event("updated", [{"field": "active", "before": True, "after": False}], sequence=2),
        gateway_event("login_failed", [{"field": "username", "before": None, "after": "jana"}],
                      actor=USER, sequence=2, username="jana", reason="inactive"),
    ])
    response = client.get("/api/v1/audit/entries", query_string={"object_type": "user"}, headers=tokens.headers())
    assert response.status_code == 200, response.get_json()
    entries = response.get_json()["items"]
    assert [entry["operation"] for entry in entries] == ["login_failed", "updated", "created"]
    assert {entry["object_link"] for entry in entries} == {f"/api/v1/users/{USER}"}
    assert entries[1]["changes"] == [{"field": "active", "before": True, "after": False}]
    assert entries[1]["user"] == {"id": ADMIN, "name": "Ada Admin"}
    history = client.get(f"/api/v1/audit/objects/user/{USER}/history", headers=tokens.headers())
    assert len(history.get_json()["items"]) == 3
