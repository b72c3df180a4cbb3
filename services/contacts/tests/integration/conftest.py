"""The contacts app on a migrated database, called as different users, with its outbox readable."""
from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import Any, Iterator

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient

from crm_shared.service_app import context_of
from crm_shared.testing.apps import migrated_app, outbox_events
from crm_shared.testing.sessions import FakeUserDirectory
from crm_shared.testing.tokens import TokenIssuer

from crm_contacts.app import create_app
from crm_contacts.declaration import SERVICE

ALICE = "aaaaaaaa-0000-0000-0000-000000000001"
BOB = "bbbbbbbb-0000-0000-0000-000000000002"
MANAGER = "cccccccc-0000-0000-0000-000000000003"
ADMIN = "dddddddd-0000-0000-0000-000000000004"
#: a user of the gateway who no longer may act
GONE = "eeeeeeee-0000-0000-0000-000000000005"


def directory() -> FakeUserDirectory:
    """The gateway's users as these tests know them: the four callers and a deactivated user."""
    users = FakeUserDirectory()
    users.add(ALICE, name="Alice User", manager_id=MANAGER)
    users.add(BOB, name="Bob User")
    users.add(MANAGER, name="Mona Manager", role="manager")
    users.add(ADMIN, name="Ada Admin", role="admin")
    users.add(GONE, name="Gone User", active=False, manager_id=MANAGER)
    return users


@pytest.fixture(scope="session")
def issuer() -> TokenIssuer:
    """One signing key per run: RSA key generation is slow."""
    return TokenIssuer()


class ContactsApi:
    """A test client acting as a named user, that also reads the events left in the outbox."""

    def __init__(self, client: FlaskClient, engine: sa.Engine, issuer: TokenIssuer) -> None:
        self.client = client
        self.engine = engine
        self.users = {
            "alice": issuer.headers("user", user_id=ALICE, name="Alice User", manager_id=MANAGER),
            "bob": issuer.headers("user", user_id=BOB, name="Bob User"),
            "manager": issuer.headers("manager", user_id=MANAGER, name="Mona Manager", team=[ALICE]),
            "admin": issuer.headers("admin", user_id=ADMIN, name="Ada Admin"),
        }

    def call(self, method: str, path: str, *, user: str = "alice", headers: dict[str, str] | None = None,
             **kwargs: Any) -> Any:
        return self.client.open(f"/api/v1{path}", method=method, headers={**self.users[user], **(headers or {})},
                                **kwargs)

    def create(self, path: str, user: str = "alice", **values: Any) -> dict[str, Any]:
        response = self.call("POST", path, user=user, json=values)
        assert response.status_code == 201, response.get_json()
        return response.get_json()

    def events(self) -> list[dict[str, Any]]:
        return outbox_events(self.engine)

    def last_event(self) -> dict[str, Any]:
        return self.events()[-1]


@pytest.fixture
def contacts(any_database_url: str, tmp_path: Path, issuer: TokenIssuer) -> Iterator[ContactsApi]:
    users = directory()
    app_with_users = partial(create_app, users_for=lambda _token: users)
    with migrated_app(SERVICE, app_with_users, any_database_url, tmp_path, issuer.verifier()) as app:
        yield ContactsApi(app.test_client(), context_of(app).engine, issuer)

