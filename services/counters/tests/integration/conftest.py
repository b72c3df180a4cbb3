"""The counters API on a fresh database (SQLite and PostgreSQL), events fed as the consumer feeds them."""
from __future__ import annotations

from pathlib import Path
from typing import Any, Iterator

import pytest
import sqlalchemy as sa

from crm_shared.envelope import CloudEvent
from crm_shared.testing.apps import ApiClient, migrated_app
from crm_shared.testing.tokens import TokenIssuer

from crm_counters.app import create_app
from crm_counters.declaration import SERVICE
from crm_counters.service_layer.record_events import handle_events
from crm_counters.service_layer.unit_of_work import CountersUnitOfWork

issuer = TokenIssuer()
ANN, BOB, CID, ADA = "ann", "bob", "cid", "ada"
AS_ANN = issuer.headers("user", user_id=ANN, name="Ann Author", manager_id=BOB)
AS_BOB = issuer.headers("manager", user_id=BOB, name="Bob Boss", team=[ANN])
AS_CID = issuer.headers("user", user_id=CID, name="Cid Colleague")
AS_ADMIN = issuer.headers("admin", user_id=ADA, name="Ada Admin")


class People:
    """The gateway's users as the tests know them."""

    def __init__(self, *ids: str) -> None:
        self.ids = list(ids)

    def exists(self, token: str, user_id: str) -> bool:
        return user_id in self.ids

    def active_ids(self, token: str) -> list[str]:
        return list(self.ids)


class Api(ApiClient):
    """The counters API as a test drives it."""

    def ok(self, method: str, path: str, status: int = 200, **kwargs: Any) -> Any:
        response = self.call(method, path, **kwargs)
        assert response.status_code == status, (response.status_code, response.get_json())
        return response.get_json()

    def feed(self, *events: CloudEvent) -> None:
        handle(self.engine, *events)


def handle(engine: sa.Engine, *events: CloudEvent) -> None:
    """Handle events as the consumer does: one transaction, the unit of work bound to it."""
    with engine.begin() as connection:
        handle_events(CountersUnitOfWork(connection=connection), list(events))


@pytest.fixture
def api(any_database_url: str, tmp_path: Path) -> Iterator[Api]:
    people = People(ANN, BOB, CID, ADA)
    factory = lambda settings, verifier: create_app(settings, verifier=verifier, people=people)  # noqa: E731
    with migrated_app(SERVICE, factory, any_database_url, tmp_path, issuer.verifier()) as app:
        yield Api(app, AS_ANN)
