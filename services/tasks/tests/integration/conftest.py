"""The tasks API on a fresh database (SQLite and PostgreSQL), with a client that reads the outbox."""
from __future__ import annotations

from pathlib import Path
from typing import Any, Iterator

import pytest

from crm_shared.testing.apps import ApiClient, migrated_app
from crm_shared.testing.callers import AS_ADMIN, AS_ANN, AS_BOB, AS_CID, ANN, BOB, CID, issuer  # noqa: F401

from crm_tasks.app import create_app
from crm_tasks.declaration import SERVICE

from .record_events import handle, record_event


class Api(ApiClient):
    """The tasks API as a test drives it."""

    def type_id(self, name: str) -> str:
        return next(t["id"] for t in self.ok("GET", "/task-types")["items"] if t["name"] == name)

    def known(self, kind: str, record_id: str, name: str = "Jana Nováková", owner_id: str = ANN) -> str:
        """Let the service learn of another service's record from its `created` event; return its id."""
        handle(self.engine, record_event(kind, record_id, "created", 1, name=name, state={"owner_id": owner_id}))
        return record_id

    def task(self, headers: dict[str, str] | None = None, **values: Any) -> dict[str, Any]:
        body = {"title": "Send the offer", "type_id": self.type_id("Email"), **values}
        return self.ok("POST", "/tasks", 201, json=body, headers=headers or AS_ANN)


@pytest.fixture
def api(any_database_url: str, tmp_path: Path) -> Iterator[Api]:
    with migrated_app(SERVICE, create_app, any_database_url, tmp_path, issuer.verifier()) as app:
        yield Api(app, AS_ANN)


def changes_of(event: dict[str, Any]) -> list[tuple[str, Any, Any]]:
    return [(c["field"], c["before"], c["after"]) for c in event["data"]["changes"]]
