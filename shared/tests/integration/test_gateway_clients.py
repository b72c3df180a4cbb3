"""The gateway session check and user directory read the gateway's answers, and turn silence into 503."""
from __future__ import annotations

import json
import threading
from typing import Any, Iterator

import pytest
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

from crm_shared.auth import Principal
from crm_shared.errors import ServiceUnavailable
from crm_shared.gateway_client import GatewayClient
from crm_shared.sessions import GatewaySessionCheck
from crm_shared.testing.sessions import FakeUserDirectory
from crm_shared.users import DirectoryUser, GatewayUsers

ACTIVE, GONE = "aaaaaaaa-0000-4000-8000-000000000001", "bbbbbbbb-0000-4000-8000-000000000002"
BOSS = "cccccccc-0000-4000-8000-000000000003"
USERS = {ACTIVE: {"id": ACTIVE, "username": "ada", "name": "Ada", "role": "user", "manager_id": BOSS,
                  "active": True, "email": "ada@example.cz", "created_at": "2026-11-22T10:00:00+00:00"}}


class FakeGateway:
    """Answers /auth/session and /users/{id} for the token "good-<user id>"; records what it was sent."""

    def __init__(self) -> None:
        self.seen: list[tuple[str, str]] = []
        self._server = make_server("127.0.0.1", 0, self._app, threaded=True)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_port}"

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def _app(self, environ: dict[str, Any], start_response: Any) -> Any:
        request = Request(environ)
        token = request.headers.get("Authorization", "").removeprefix("Bearer ")
        self.seen.append((request.path, token))
        user_id = token.removeprefix("good-")
        if request.path == "/api/v1/auth/session":
            body, status = ({"active": True, "sub": user_id}, 200) if user_id in USERS else ({}, 401)
        elif request.path.startswith("/api/v1/users/"):
            found = USERS.get(request.path.rsplit("/", 1)[1])
            body, status = (found, 200) if found else ({"status": 404}, 404)
        else:
            body, status = {}, 500
        return Response(json.dumps(body), status=status, mimetype="application/json")(environ, start_response)


@pytest.fixture
def gateway() -> Iterator[FakeGateway]:
    fake = FakeGateway()
    yield fake
    fake.close()


def principal(user_id: str) -> Principal:
    return Principal(id=user_id, name="Someone", role="user")


def test_the_session_check_accepts_an_active_user_and_refuses_an_unknown_one(gateway: FakeGateway) -> None:
    check = GatewaySessionCheck(GatewayClient(gateway.url))
    assert check(f"good-{ACTIVE}", principal(ACTIVE)) is True
    assert check(f"good-{GONE}", principal(GONE)) is False
    assert gateway.seen[0] == ("/api/v1/auth/session", f"good-{ACTIVE}")


def test_the_session_check_refuses_when_the_gateway_names_another_user(gateway: FakeGateway) -> None:
    assert GatewaySessionCheck(GatewayClient(gateway.url))(f"good-{ACTIVE}", principal(GONE)) is False


def test_an_unreachable_gateway_is_a_503_for_the_session_check_and_the_directory(gateway: FakeGateway) -> None:
    url = gateway.url
    gateway.close()
    with pytest.raises(ServiceUnavailable):
        GatewaySessionCheck(GatewayClient(url, connect_timeout=0.5))(f"good-{ACTIVE}", principal(ACTIVE))
    with pytest.raises(ServiceUnavailable):
        GatewayUsers(url).acting_for("good-x").find(ACTIVE)


def test_the_directory_finds_a_user_with_the_callers_token_and_none_for_an_unknown_id(gateway: FakeGateway) -> None:
    directory = GatewayUsers(gateway.url).acting_for(f"good-{ACTIVE}")
    assert directory.find(ACTIVE) == DirectoryUser(id=ACTIVE, name="Ada", role="user", active=True, manager_id=BOSS)
    assert directory.find(GONE) is None
    assert gateway.seen == [(f"/api/v1/users/{ACTIVE}", f"good-{ACTIVE}"), (f"/api/v1/users/{GONE}", f"good-{ACTIVE}")]


def test_the_fake_directory_answers_like_the_real_one() -> None:
    directory = FakeUserDirectory()
    added = directory.add(ACTIVE, name="Ada", active=False, manager_id=BOSS)
    assert directory.find(ACTIVE) == added and not added.active
    assert directory.find(GONE) is None
