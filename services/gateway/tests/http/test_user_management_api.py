"""Admins change and deactivate users; a deactivated or unknown user's token stops working (SQLite)."""
from __future__ import annotations

import json
import time
from datetime import datetime, timezone
from typing import Any, Callable

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from crm_gateway.api.dependencies import EXTENSION
from crm_gateway.identity.domain import User
from crm_gateway.keys import SigningKey
from crm_gateway.tokens import TokenIssuer

ADMIN_PASSWORD = "admin-secret-1"
PROBLEM = "application/problem+json"
UNKNOWN_ID = "00000000-0000-4000-8000-000000000000"
Login = Callable[[str, str], str]


class Clock:
    def __init__(self) -> None:
        self.now = time.time()

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def app(make_app: Callable[..., Flask]) -> Flask:
    return make_app()


@pytest.fixture
def clock(app: Flask) -> Clock:
    """The gateway verifier's clock, moved by the test instead of waiting."""
    fake = Clock()
    app.extensions[EXTENSION].verifier.clock = fake
    return fake


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def create(client: FlaskClient, headers: dict[str, str], username: str = "jana", **body: Any) -> dict[str, Any]:
    payload = {"username": username, "password": "s3cret-pass", "name": username.title(),
               "email": f"{username}@example.cz", "role": "user", **body}
    response = client.post("/api/v1/users", json=payload, headers=headers)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def patch(client: FlaskClient, headers: dict[str, str], user_id: str, **body: Any):  # type: ignore[no-untyped-def]
    return client.patch(f"/api/v1/users/{user_id}", json=body, headers=headers)


def outbox(app: Flask) -> list[dict[str, Any]]:
    engine = sa.create_engine(app.extensions[EXTENSION].uow().engine.url)
    with engine.connect() as connection:
        bodies = connection.execute(sa.text("SELECT body FROM outbox ORDER BY id")).scalars().all()
    engine.dispose()
    return [json.loads(body) for body in bodies]


def admin_id(client: FlaskClient, headers: dict[str, str]) -> str:
    return client.get("/api/v1/auth/me", headers=headers).get_json()["id"]


def test_an_admin_changes_a_users_name_email_role_and_manager(
    client: FlaskClient, admin_headers: dict[str, str]
) -> None:
    boss = create(client, admin_headers, "boss", role="manager")
    jana = create(client, admin_headers)
    response = patch(client, admin_headers, jana["id"], name="Jana Svobodová", email="jana@firma.cz",
                     role="manager", manager_id=boss["id"])
    assert response.status_code == 200, response.get_json()
    changed = response.get_json()
    assert (changed["name"], changed["email"], changed["role"], changed["manager_id"]) == (
        "Jana Svobodová", "jana@firma.cz", "manager", boss["id"])
    assert client.get(f"/api/v1/users/{jana['id']}", headers=admin_headers).get_json() == changed
    cleared = patch(client, admin_headers, jana["id"], manager_id=None).get_json()
    assert cleared["manager_id"] is None


def test_unknown_fields_and_the_username_are_a_422_naming_them(
    client: FlaskClient, admin_headers: dict[str, str]
) -> None:
    jana = create(client, admin_headers)
    response = patch(client, admin_headers, jana["id"], username="other", nickname="J")
    assert response.status_code == 422 and response.mimetype == PROBLEM
    assert set(response.get_json()["errors"]) == {"username", "nickname"}


def test_only_an_admin_may_change_a_user(client: FlaskClient, admin_headers: dict[str, str], login: Login) -> None:
    jana = create(client, admin_headers)
    response = patch(client, bearer(login("jana", "s3cret-pass")), jana["id"], role="admin")
    assert response.status_code == 403 and response.mimetype == PROBLEM


def test_changing_an_unknown_user_is_a_404(client: FlaskClient, admin_headers: dict[str, str]) -> None:
    assert patch(client, admin_headers, UNKNOWN_ID, name="X").status_code == 404


def test_a_manager_must_be_an_existing_active_user(client: FlaskClient, admin_headers: dict[str, str]) -> None:
    jana, gone = create(client, admin_headers), create(client, admin_headers, "gone")
    assert patch(client, admin_headers, gone["id"], active=False).status_code == 200
    for manager_id in (UNKNOWN_ID, gone["id"]):
        response = patch(client, admin_headers, jana["id"], manager_id=manager_id)
        assert response.status_code == 422 and list(response.get_json()["errors"]) == ["manager_id"]
    response = client.post("/api/v1/users", headers=admin_headers, json={
        "username": "new", "password": "s3cret-pass", "name": "New", "email": "new@example.cz",
        "role": "user", "manager_id": gone["id"]})
    assert response.status_code == 422 and list(response.get_json()["errors"]) == ["manager_id"]


def test_a_manager_chain_may_not_loop_back_to_the_user(client: FlaskClient, admin_headers: dict[str, str]) -> None:
    top = create(client, admin_headers, "top", role="manager")
    middle = create(client, admin_headers, "middle", role="manager", manager_id=top["id"])
    low = create(client, admin_headers, "low", manager_id=middle["id"])
    for manager in (low, top):
        response = patch(client, admin_headers, top["id"], manager_id=manager["id"])
        assert response.status_code == 422 and list(response.get_json()["errors"]) == ["manager_id"]


def test_the_last_active_admin_can_be_neither_deactivated_nor_demoted(
    client: FlaskClient, admin_headers: dict[str, str]
) -> None:
    me = admin_id(client, admin_headers)
    for change in ({"active": False}, {"role": "manager"}):
        response = patch(client, admin_headers, me, **change)
        assert response.status_code == 409 and response.mimetype == PROBLEM
    second = create(client, admin_headers, "second", role="admin")
    assert patch(client, admin_headers, me, role="manager").status_code == 200
    assert patch(client, admin_headers, second["id"], active=False).status_code == 409


def test_a_new_password_replaces_the_old_one(client: FlaskClient, admin_headers: dict[str, str]) -> None:
    jana = create(client, admin_headers)
    assert patch(client, admin_headers, jana["id"], password="brand-new-pass").status_code == 200
    old = client.post("/api/v1/auth/token", json={"username": "jana", "password": "s3cret-pass"})
    new = client.post("/api/v1/auth/token", json={"username": "jana", "password": "brand-new-pass"})
    assert (old.status_code, new.status_code) == (401, 200)


def test_a_deactivated_users_token_is_refused_at_the_gateway_within_the_session_interval(
    app: Flask, client: FlaskClient, clock: Clock, admin_headers: dict[str, str], login: Login
) -> None:
    jana = create(client, admin_headers)
    headers = bearer(login("jana", "s3cret-pass"))
    assert client.get("/api/v1/auth/me", headers=headers).status_code == 200
    assert patch(client, admin_headers, jana["id"], active=False).get_json()["active"] is False
    clock.now += 2.1
    for path in ("/api/v1/auth/me", "/api/v1/users", "/api/v1/persons"):
        response = client.get(path, headers=headers)
        assert response.status_code == 401 and response.mimetype == PROBLEM, path
        assert response.get_json()["detail"] == "The token is invalid or expired."
    assert client.post("/api/v1/auth/token", json={"username": "jana", "password": "s3cret-pass"}).status_code == 401


def test_a_validly_signed_token_of_an_unknown_user_is_refused(
    client: FlaskClient, signing_key: SigningKey
) -> None:
    ghost = User(id=UNKNOWN_ID, username="ghost", name="Ghost", email="g@example.cz", role="admin",
                 manager_id=None, created_at=datetime.now(timezone.utc))
    token = TokenIssuer(signing_key, issuer="crm-gateway", audience="crm").issue(ghost).access_token
    for path in ("/api/v1/auth/me", "/api/v1/users", "/api/v1/persons", "/api/v1/auth/session"):
        assert client.get(path, headers=bearer(token)).status_code == 401, path


def test_the_session_endpoint_answers_afresh_whether_a_token_may_act(
    client: FlaskClient, admin_headers: dict[str, str], login: Login
) -> None:
    jana = create(client, admin_headers)
    headers = bearer(login("jana", "s3cret-pass"))
    alive = client.get("/api/v1/auth/session", headers=headers)
    assert alive.status_code == 200
    assert alive.get_json() == {"active": True, "sub": jana["id"], "username": "jana", "role": "user"}
    patch(client, admin_headers, jana["id"], active=False)
    refused = client.get("/api/v1/auth/session", headers=headers)
    assert refused.status_code == 401 and refused.get_json()["detail"] == "The token is invalid or expired."
    assert client.get("/api/v1/auth/session").status_code == 401
    assert client.get("/api/v1/auth/session", headers=bearer("a.b.c")).status_code == 401


def test_the_user_list_comes_in_pages_by_username(client: FlaskClient, admin_headers: dict[str, str]) -> None:
    for username in ("dana", "bara", "cyril", "emil"):
        create(client, admin_headers, username)
    seen, cursor, pages = [], None, 0
    while True:
        params = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        page = client.get("/api/v1/users", query_string=params, headers=admin_headers).get_json()
        seen += [user["username"] for user in page["items"]]
        pages += 1
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == ["admin", "bara", "cyril", "dana", "emil"] and pages == 3
    everyone = client.get("/api/v1/users", headers=admin_headers).get_json()
    assert len(everyone["items"]) == 5 and everyone["next_cursor"] is None


def test_a_bad_cursor_or_limit_is_a_422_naming_it(client: FlaskClient, admin_headers: dict[str, str]) -> None:
    for params, field in (({"cursor": "!!"}, "cursor"), ({"limit": 0}, "limit"), ({"limit": 501}, "limit")):
        response = client.get("/api/v1/users", query_string=params, headers=admin_headers)
        assert response.status_code == 422 and list(response.get_json()["errors"]) == [field]


def test_user_changes_are_events_with_before_and_after_and_never_a_password(
    app: Flask, client: FlaskClient, admin_headers: dict[str, str]
) -> None:
    jana = create(client, admin_headers)
    patch(client, admin_headers, jana["id"], name="Jana Svobodová", active=False, password="brand-new-pass")
    events = outbox(app)
    assert [event["type"] for event in events] == ["crm.user.created", "crm.user.created", "crm.user.updated"]
    bootstrap_admin, created, updated = events
    assert (bootstrap_admin["actorid"], bootstrap_admin["data"]["object_name"]) == ("system", "Administrator")
    assert created["actorid"] == admin_id(client, admin_headers) and created["subject"] == jana["id"]
    assert created["data"]["object_link"] == f"/api/v1/users/{jana['id']}"
    assert {"field": "username", "before": None, "after": "jana"} in created["data"]["changes"]
    assert updated["sequence"] == 2 and updated["data"]["changes"] == [
        {"field": "name", "before": "Jana", "after": "Jana Svobodová"},
        {"field": "active", "before": True, "after": False},
        {"field": "password", "before": None, "after": "[changed]"},
    ]
    text = json.dumps(events)
    assert "s3cret-pass" not in text and "brand-new-pass" not in text and "argon2" not in text


def test_a_change_that_changes_nothing_is_no_event(app: Flask, client: FlaskClient, admin_headers: dict[str, str]) -> None:
    jana = create(client, admin_headers)
    assert patch(client, admin_headers, jana["id"], name="Jana", role="user").status_code == 200
    assert [event["type"] for event in outbox(app)][-1] == "crm.user.created"


def test_each_failed_login_is_one_event_naming_the_username_and_never_the_password(
    app: Flask, client: FlaskClient, admin_headers: dict[str, str]
) -> None:
    jana = create(client, admin_headers)
    before = len(outbox(app))
    for username in ("jana", "nobody", "nobody"):
        answer = client.post("/api/v1/auth/token", json={"username": username, "password": "guessed-Pa55"})
        assert answer.status_code == 401
    failed = outbox(app)[before:]
    assert [event["type"] for event in failed] == ["crm.user.login_failed"] * 3
    known, unknown, again = failed
    assert (known["actorid"], known["subject"], known["data"]["reason"]) == (jana["id"], jana["id"], "bad_password")
    assert (unknown["actorid"], unknown["data"]["username"], unknown["data"]["reason"]) == (
        "system", "nobody", "unknown_user")
    assert unknown["subject"] == again["subject"]  # attempts at one unknown name group together
    assert known["data"]["changes"] == [{"field": "username", "before": None, "after": "jana"}]
    assert "guessed-Pa55" not in json.dumps(failed)
    client.post("/api/v1/auth/token", json={"username": "jana", "password": "x" * 2000})
    assert len(outbox(app)) == before + 3  # refused by the schema: not an attempt, nothing written
