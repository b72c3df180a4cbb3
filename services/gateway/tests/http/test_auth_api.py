"""Logging in, who am I, and which tokens the gateway refuses (Flask test client, SQLite)."""
from __future__ import annotations

import base64
import json
from datetime import datetime, timedelta, timezone

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from flask.testing import FlaskClient

from crm_shared.auth import TokenVerifier

from crm_gateway.identity.domain import User
from crm_gateway.keys import SigningKey
from crm_gateway.tokens import TokenIssuer

ADMIN_PASSWORD = "admin-secret-1"
PROBLEM = "application/problem+json"


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def admin_as_user(client: FlaskClient, headers: dict[str, str]) -> User:
    me = client.get("/api/v1/auth/me", headers=headers).get_json()
    return User(id=me["id"], username="admin", name=me["name"], email=me["email"], role="admin",
                manager_id=None, created_at=datetime.now(timezone.utc))


def segment(value: object) -> str:
    return base64.urlsafe_b64encode(json.dumps(value).encode()).rstrip(b"=").decode()


def test_the_admin_logs_in_and_gets_a_bearer_token(client: FlaskClient) -> None:
    response = client.post("/api/v1/auth/token", json={"username": "admin", "password": ADMIN_PASSWORD})
    assert response.status_code == 200
    body = response.get_json()
    assert body["token_type"] == "Bearer" and body["expires_in"] == 900
    assert response.headers["Cache-Control"] == "no-store"
    claims = jwt.decode(body["access_token"], options={"verify_signature": False})
    assert claims["role"] == "admin" and claims["preferred_username"] == "admin"
    assert claims["iss"] == "crm-gateway" and claims["aud"] == "crm" and claims["manager_id"] is None


def test_a_manager_logs_in_with_their_direct_reports_in_the_team_claim(
    client: FlaskClient, admin_headers: dict[str, str]
) -> None:
    def create(username: str, role: str, manager_id: str | None = None) -> str:
        body = {"username": username, "password": "password-123", "name": username.title(),
                "email": f"{username}@example.cz", "role": role, "manager_id": manager_id}
        response = client.post("/api/v1/users", json=body, headers=admin_headers)
        assert response.status_code == 201, response.get_json()
        return response.get_json()["id"]

    manager = create("mona", "manager")
    report = create("alice", "user", manager)
    claims = {}
    for username in ("mona", "alice"):
        token = client.post("/api/v1/auth/token", json={"username": username, "password": "password-123"})
        claims[username] = jwt.decode(token.get_json()["access_token"], options={"verify_signature": False})
    assert claims["mona"]["team"] == [report]
    assert claims["alice"]["team"] == [] and claims["alice"]["manager_id"] == manager


def test_the_token_lifetime_follows_the_setting(make_app, login) -> None:  # type: ignore[no-untyped-def]
    client = make_app(CRM_TOKEN_TTL_SECONDS="60").test_client()
    response = client.post("/api/v1/auth/token", json={"username": "admin", "password": ADMIN_PASSWORD})
    assert response.get_json()["expires_in"] == 60


def test_a_wrong_password_and_an_unknown_user_get_the_same_401(client: FlaskClient) -> None:
    answers = [
        client.post("/api/v1/auth/token", json={"username": username, "password": password})
        for username, password in [("admin", "not-the-password"), ("nobody", ADMIN_PASSWORD)]
    ]
    assert [a.status_code for a in answers] == [401, 401]
    assert all(a.mimetype == PROBLEM for a in answers)
    assert answers[0].get_json() == answers[1].get_json()


def test_login_with_an_unknown_field_is_a_422_naming_it(client: FlaskClient) -> None:
    response = client.post("/api/v1/auth/token",
                           json={"username": "admin", "password": ADMIN_PASSWORD, "otp": "123"})
    assert response.status_code == 422 and response.mimetype == PROBLEM
    assert "otp" in response.get_json()["errors"]


def test_login_without_a_password_is_a_422_naming_it(client: FlaskClient) -> None:
    response = client.post("/api/v1/auth/token", json={"username": "admin"})
    assert response.status_code == 422
    assert list(response.get_json()["errors"]) == ["password"]


def test_login_with_malformed_json_is_a_400_problem(client: FlaskClient) -> None:
    response = client.post("/api/v1/auth/token", data='{"username": "admin",',
                           content_type="application/json")
    assert response.status_code == 400 and response.mimetype == PROBLEM
    assert response.get_json()["status"] == 400


def test_me_is_the_user_the_token_belongs_to(client: FlaskClient, admin_headers: dict[str, str]) -> None:
    response = client.get("/api/v1/auth/me", headers=admin_headers)
    assert response.status_code == 200
    me = response.get_json()
    assert me["username"] == "admin" and me["role"] == "admin" and me["active"] is True
    assert "password_hash" not in me and "password" not in me
    assert datetime.fromisoformat(me["created_at"]).tzinfo is not None


def test_me_without_a_token_is_a_401_problem(client: FlaskClient) -> None:
    response = client.get("/api/v1/auth/me")
    assert response.status_code == 401 and response.mimetype == PROBLEM
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_an_expired_token_is_refused(
    client: FlaskClient, admin_headers: dict[str, str], signing_key: SigningKey
) -> None:
    long_ago = datetime.now(timezone.utc) - timedelta(hours=1)
    token = TokenIssuer(signing_key, issuer="crm-gateway", audience="crm", ttl_seconds=60,
                        clock=lambda: long_ago).issue(admin_as_user(client, admin_headers)).access_token
    response = client.get("/api/v1/auth/me", headers=bearer(token))
    assert response.status_code == 401 and "expired" in response.get_json()["detail"]


def test_a_token_with_alg_none_is_refused(client: FlaskClient, admin_headers: dict[str, str]) -> None:
    signed = admin_headers["Authorization"].split()[1]
    header = jwt.get_unverified_header(signed)
    claims = jwt.decode(signed, options={"verify_signature": False})
    unsigned = f"{segment({**header, 'alg': 'none'})}.{segment(claims)}."
    assert client.get("/api/v1/auth/me", headers=bearer(unsigned)).status_code == 401


def test_a_token_signed_with_another_key_is_refused(
    client: FlaskClient, admin_headers: dict[str, str], signing_key: SigningKey
) -> None:
    other = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    admin = admin_as_user(client, admin_headers)
    for kid in (signing_key.kid, "another-key"):
        forged = TokenIssuer(SigningKey(other, kid=kid), issuer="crm-gateway", audience="crm").issue(admin)
        assert client.get("/api/v1/auth/me", headers=bearer(forged.access_token)).status_code == 401


def test_garbage_in_the_authorization_header_is_refused(client: FlaskClient) -> None:
    for value in ("Bearer not-a-token", "Bearer a.b.c", "Basic YWRtaW46eA==", "Bearer", ""):
        response = client.get("/api/v1/auth/me", headers={"Authorization": value})
        assert response.status_code == 401 and response.mimetype == PROBLEM, value


def test_the_jwks_document_is_public_and_verifies_an_issued_token(
    client: FlaskClient, admin_headers: dict[str, str]
) -> None:
    response = client.get("/.well-known/jwks.json")
    assert response.status_code == 200 and "max-age" in response.headers["Cache-Control"]
    (published,) = response.get_json()["keys"]
    token = admin_headers["Authorization"].split()[1]
    assert jwt.get_unverified_header(token)["kid"] == published["kid"]
    claims = jwt.decode(token, jwt.PyJWK(published).key, algorithms=["RS256"],
                        audience="crm", issuer="crm-gateway")
    assert claims["role"] == "admin"


def test_a_service_verifier_fed_by_the_jwks_accepts_the_gateways_tokens(
    client: FlaskClient, admin_headers: dict[str, str]
) -> None:
    keys = jwt.PyJWKSet.from_dict(client.get("/.well-known/jwks.json").get_json())
    verifier = TokenVerifier(issuer="crm-gateway", audience="crm",
                             key_resolver=lambda token: keys[jwt.get_unverified_header(token)["kid"]].key)
    principal = verifier.verify(admin_headers["Authorization"].split()[1])
    assert principal.is_admin and principal.username == "admin"


def test_the_probes_need_no_token(client: FlaskClient) -> None:
    assert client.get("/healthz").status_code == 200
    assert client.get("/readyz").status_code == 200
