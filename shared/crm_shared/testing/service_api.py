"""A service's app on a fresh, migrated database, driven by a Flask test client that also reads its outbox.

    with migrated_app(create_app, "tasks", MIGRATIONS, database_url, tmp_path, issuer.verifier()) as app:
        api = ServiceApi(app.test_client(), context_of(app).engine, headers)
        api.ok("POST", "/tasks", 201, json={...})
        assert api.events()[-1]["type"] == "crm.task.created"
"""
from __future__ import annotations

import json
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Callable, Iterator

import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from crm_shared.config import Settings
from crm_shared.migrations import upgrade
from crm_shared.service_app import context_of


class ServiceApi:
    """Calls under `/api/v1` (as `headers` unless told otherwise) and the events the writes left in the outbox."""

    def __init__(self, client: FlaskClient, engine: sa.Engine, headers: dict[str, str]) -> None:
        self.client = client
        self.engine = engine
        self.headers = headers

    def call(self, method: str, path: str, headers: dict[str, str] | None = None, **kwargs: Any) -> Any:
        return self.client.open(f"/api/v1{path}", method=method, headers=headers or self.headers, **kwargs)

    def ok(self, method: str, path: str, status: int = 200, **kwargs: Any) -> Any:
        """Call and return the JSON answer, failing with it unless the status is `status`."""
        response = self.call(method, path, **kwargs)
        assert response.status_code == status, (response.status_code, response.get_json())
        return response.get_json()

    def events(self) -> list[dict[str, Any]]:
        """Return every event the outbox holds, oldest first."""
        with self.engine.connect() as conn:
            rows = conn.execute(sa.text("SELECT body FROM outbox ORDER BY id")).scalars()
            return [json.loads(body) for body in rows]


@contextmanager
def migrated_app(create_app: Callable[..., Flask], service: str, migrations: str, database_url: str,
                 data_dir: Path, verifier: Any) -> Iterator[Flask]:
    """Migrate a fresh database and build the service's app on it; dispose of its engine afterwards."""
    settings = Settings.from_env(service, {"CRM_DATA_DIR": str(data_dir), "CRM_DATABASE_URL": database_url})
    upgrade(settings.database_url, migrations, service)
    app = create_app(settings, verifier=verifier)
    try:
        yield app
    finally:
        context_of(app).engine.dispose()
