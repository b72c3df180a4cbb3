"""A declared service's app on a freshly migrated database, for the services' API tests."""
from __future__ import annotations

import json
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Callable, Iterator, Mapping

import sqlalchemy as sa
from flask import Flask

from crm_shared.auth import TokenVerifier
from crm_shared.cli import migrations_location
from crm_shared.config import Settings
from crm_shared.declaration import ServiceDeclaration
from crm_shared.service_app import context_of
from crm_shared.testing.templates import migrated

AppFactory = Callable[..., Flask]


@contextmanager
def migrated_app(
    declaration: ServiceDeclaration,
    create_app: AppFactory,
    database_url: str,
    data_dir: Path,
    verifier: TokenVerifier,
    env: Mapping[str, str] | None = None,
) -> Iterator[Flask]:
    """Migrate `database_url`, build the service's app on it (data in `data_dir`), dispose its engine after.

    `env` adds settings (e.g. `CRM_ARES_URL`) to the database and the data folder.
    """
    settings = Settings.from_env(declaration.name, {
        "CRM_DATA_DIR": str(data_dir), "CRM_DATABASE_URL": database_url, **(env or {}),
    })
    migrated(settings.database_url, migrations_location(declaration), declaration.name)
    app = create_app(settings, verifier=verifier)
    try:
        yield app
    finally:
        context_of(app).engine.dispose()


def outbox_events(engine: sa.Engine) -> list[dict[str, Any]]:
    """Return the events a service's writes left in its outbox, oldest first, as JSON objects."""
    with engine.connect() as connection:
        bodies = connection.execute(sa.text("SELECT body FROM outbox ORDER BY id")).scalars()
        return [json.loads(body) for body in bodies]


class ApiClient:
    """A test client of a service's `/api/v1`, calling as `headers` unless told otherwise, that reads the outbox."""

    def __init__(self, app: Flask, headers: Mapping[str, str]) -> None:
        self.client = app.test_client()
        self.engine = context_of(app).engine
        self.headers = dict(headers)

    def call(self, method: str, path: str, headers: Mapping[str, str] | None = None, **kwargs: Any) -> Any:
        """Call `/api/v1{path}` with the given headers, or else the client's own."""
        return self.client.open(f"/api/v1{path}", method=method, headers=dict(headers or self.headers), **kwargs)

    def ok(self, method: str, path: str, status: int = 200, **kwargs: Any) -> Any:
        """Call and return the JSON answer, failing with it unless the status is `status`."""
        response = self.call(method, path, **kwargs)
        assert response.status_code == status, (response.status_code, response.get_json())
        return response.get_json()

    def events(self) -> list[dict[str, Any]]:
        """Return the events the calls' writes left in the outbox, oldest first."""
        return outbox_events(self.engine)
