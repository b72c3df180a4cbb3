"""Managing users through the API (Flask test client, SQLite)."""
from __future__ import annotations

from typing import Any, Callable

import jwt
from flask.testing import FlaskClient

PROBLEM = "application/problem+json"
UNKNOWN_ID = "00000000-0000-4000-8000-000000000000"


def user_body(username: str = "jana", **changes: Any) -> dict[str, Any]:
    return {"username": username, "password": "s3cret-pass", "name": "Jana Nováková",
            "email": f"{username}@example.com", "role": "user", **changes}


def create(client: FlaskClient, headers: dict[str, str], **body: Any) -> dict[str, Any]:
    response = client.post("/api/v1/users", json=user_body(**body), headers=headers)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def test_an_admin_creates_a_user_who_can_then_log_in(
    client: FlaskClient, admin_headers: dict[str, str], login: Callable[[str, str], str]
) -> None:
    response = client.post("/api/v1/users", json=user_body(), headers=admin_headers)
    assert response.status_code == 201
    created = response.get_json()
    assert created["username"] == "jana" and created["name"] == "Jana Nováková" and created["role"] == "user"
    assert not {"password", "password_hash"} & set(created)
    assert response.headers["Location"] == f"/api/v1/users/{created['id']}"
    me = client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {login('jana', 's3cret-pass')}"})
    assert me.get_json() == created


def test_a_team_member_carries_the_managers_id_in_the_token(
    client: FlaskClient, admin_headers: dict[str, str], login: Callable[[str, str], str]
) -> None:
    boss = create(client, admin_headers, username="boss", role="manager")
    member = create(client, admin_headers, username="jana", manager_id=boss["id"])
    assert member["manager_id"] == boss["id"]
    claims = jwt.decode(login("jana", "s3cret-pass"), options={"verify_signature": False})
    assert claims["manager_id"] == boss["id"] and claims["sub"] == member["id"]


def test_a_taken_username_is_a_409_problem(client: FlaskClient, admin_headers: dict[str, str]) -> None:
    create(client, admin_headers)
    response = client.post("/api/v1/users", json=user_body(), headers=admin_headers)
    assert response.status_code == 409 and response.mimetype == PROBLEM


def test_an_unknown_manager_is_a_422_naming_manager_id(client: FlaskClient, admin_headers: dict[str, str]) -> None:
    response = client.post("/api/v1/users", json=user_body(manager_id=UNKNOWN_ID), headers=admin_headers)
    assert response.status_code == 422 and response.mimetype == PROBLEM
    assert list(response.get_json()["errors"]) == ["manager_id"]


def test_a_plain_user_may_not_create_users(
    client: FlaskClient, admin_headers: dict[str, str], login: Callable[[str, str], str]
) -> None:
    create(client, admin_headers)
    headers = {"Authorization": f"Bearer {login('jana', 's3cret-pass')}"}
    for body in (user_body("eve"), {"nonsense": True}):
        response = client.post("/api/v1/users", json=body, headers=headers)
        assert response.status_code == 403 and response.mimetype == PROBLEM


def test_an_unknown_field_is_a_422_naming_it(client: FlaskClient, admin_headers: dict[str, str]) -> None:
    response = client.post("/api/v1/users", json=user_body(nickname="J"), headers=admin_headers)
    assert response.status_code == 422 and response.mimetype == PROBLEM
    assert response.get_json()["errors"] == {"nickname": ["Unknown field."]}


def test_invalid_fields_are_a_422_naming_each(client: FlaskClient, admin_headers: dict[str, str]) -> None:
    body = user_body(password="short", role="owner", email="not-an-email", manager_id="12")
    response = client.post("/api/v1/users", json=body, headers=admin_headers)
    assert response.status_code == 422
    assert set(response.get_json()["errors"]) == {"password", "role", "email", "manager_id"}


def test_missing_fields_are_a_422_naming_each(client: FlaskClient, admin_headers: dict[str, str]) -> None:
    response = client.post("/api/v1/users", json={"username": "jana"}, headers=admin_headers)
    assert set(response.get_json()["errors"]) == {"password", "name", "email", "role"}


def test_malformed_json_is_a_400_problem(client: FlaskClient, admin_headers: dict[str, str]) -> None:
    response = client.post("/api/v1/users", data="{not json", content_type="application/json",
                           headers=admin_headers)
    assert response.status_code == 400 and response.mimetype == PROBLEM


def test_users_are_listed_under_items(client: FlaskClient, admin_headers: dict[str, str]) -> None:
    jana = create(client, admin_headers)
    response = client.get("/api/v1/users", headers=admin_headers)
    assert response.status_code == 200
    assert [u["username"] for u in response.get_json()["items"]] == ["admin", "jana"]
    assert jana in response.get_json()["items"]


def test_a_user_is_read_by_id_and_an_unknown_id_is_a_404(
    client: FlaskClient, admin_headers: dict[str, str]
) -> None:
    jana = create(client, admin_headers)
    assert client.get(f"/api/v1/users/{jana['id']}", headers=admin_headers).get_json() == jana
    missing = client.get(f"/api/v1/users/{UNKNOWN_ID}", headers=admin_headers)
    assert missing.status_code == 404 and missing.mimetype == PROBLEM


def test_listing_users_needs_a_token(client: FlaskClient) -> None:
    assert client.get("/api/v1/users").status_code == 401
