"""The tasks API on a fresh database (SQLite and PostgreSQL), with a client that reads the outbox."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Iterator

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient

from crm_shared.config import Settings
from crm_shared.migrations import upgrade
from crm_shared.service_app import context_of
from crm_shared.testing.tokens import TokenIssuer

import crm_tasks
from crm_tasks.app import create_app

MIGRATIONS = str(Path(crm_tasks.__file__).parent / "migrations")
issuer = TokenIssuer()
ANN = "11111111-1111-1111-1111-111111111111"
BOB = "22222222-2222-2222-2222-222222222222"
CID = "33333333-3333-3333-3333-333333333333"
AS_ANN = issuer.headers("user", user_id=ANN, name="Ann Author", manager_id=BOB)
AS_BOB = issuer.headers("manager", user_id=BOB, name="Bob Boss", team=[ANN])
AS_CID = issuer.headers("user", user_id=CID, name="Cid Colleague")
AS_ADMIN = issuer.headers("admin", name="Ada Admin")


class Api:
    """A test client that also reads the outbox the writes leave behind."""

    def __init__(self, client: FlaskClient, engine: sa.Engine) -> None:
        self.client = client
        self.engine = engine

    def call(self, method: str, path: str, headers: dict[str, str] | None = None, **kwargs: Any) -> Any:
        return self.client.open(f"/api/v1{path}", method=method, headers=headers or AS_ANN, **kwargs)

    def ok(self, method: str, path: str, status: int = 200, **kwargs: Any) -> Any:
        response = self.call(method, path, **kwargs)
        assert response.status_code == status, (response.status_code, response.get_json())
        return response.get_json()

    def events(self) -> list[dict[str, Any]]:
        with self.engine.connect() as conn:
            rows = conn.execute(sa.text("SELECT body FROM outbox ORDER BY id")).scalars()
            return [json.loads(body) for body in rows]

    def type_id(self, name: str) -> str:
        return next(t["id"] for t in self.ok("GET", "/task-types")["items"] if t["name"] == name)

    def task(self, headers: dict[str, str] | None = None, **values: Any) -> dict[str, Any]:
        body = {"title": "Send the offer", "type_id": self.type_id("Email"), **values}
        return self.ok("POST", "/tasks", 201, json=body, headers=headers or AS_ANN)


@pytest.fixture
def api(any_database_url: str, tmp_path: Path) -> Iterator[Api]:
    settings = Settings.from_env("tasks", {"CRM_DATA_DIR": str(tmp_path), "CRM_DATABASE_URL": any_database_url})
    upgrade(settings.database_url, MIGRATIONS, "tasks")
    app = create_app(settings, verifier=issuer.verifier())
    engine = context_of(app).engine
    yield Api(app.test_client(), engine)
    engine.dispose()


def changes_of(event: dict[str, Any]) -> list[tuple[str, Any, Any]]:
    return [(c["field"], c["before"], c["after"]) for c in event["data"]["changes"]]
