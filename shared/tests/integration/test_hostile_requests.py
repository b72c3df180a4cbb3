"""Every service's app refuses hostile input as problems before a view sees it, and documents its problems."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import fields

from crm_shared.config import Settings
from crm_shared.hostile_input import MAX_HEADER_LENGTH, MAX_URL_LENGTH, NUL_MESSAGE, SURROGATE_MESSAGE
from crm_shared.schemas import StrictSchema
from crm_shared.testing.tokens import TokenIssuer
from crm_shared.web import create_service_app

issuer = TokenIssuer()
seen: list[Any] = []


class NoteSchema(StrictSchema):
    text = fields.String(required=True)
    tags = fields.List(fields.String())


def notes_blueprint() -> Blueprint:
    blp = Blueprint("notes", __name__, url_prefix="/api/v1/notes")

    @blp.before_request
    def _needs_caller() -> None:
        from crm_shared.auth import current_principal
        current_principal()

    @blp.route("/<name>")
    class Note(MethodView):
        @blp.response(200, NoteSchema)
        def get(self, name: str) -> dict[str, Any]:
            seen.append(name)
            return {"text": name, "tags": []}

        @blp.arguments(NoteSchema)
        @blp.response(200, NoteSchema)
        def put(self, data: dict[str, Any], name: str) -> dict[str, Any]:
            seen.append(data)
            return data

    return blp


@pytest.fixture
def app(tmp_path: Path) -> Flask:
    seen.clear()
    settings = Settings.from_env("notes", {"CRM_DATA_DIR": str(tmp_path)})
    app, _api = create_service_app(settings, title="Notes", blueprints=[notes_blueprint()], verifier=issuer.verifier())
    return app


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


HEADERS = issuer.headers("user")


def problem(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.data
    assert response.mimetype == "application/problem+json"
    body = response.get_json()
    assert body["status"] == status
    return body


def put(client: FlaskClient, body: bytes) -> Any:
    return client.put("/api/v1/notes/a", data=body, headers={**HEADERS, "Content-Type": "application/json"})


def test_a_nul_in_a_json_string_is_a_422_naming_the_field(client: FlaskClient) -> None:
    body = problem(put(client, json.dumps({"text": "ok", "tags": ["a", "b\x00"]}).encode()), 422)
    assert body["errors"] == {"tags.1": [NUL_MESSAGE]}
    assert seen == []


def test_a_lone_surrogate_in_a_json_string_is_a_422_naming_the_field(client: FlaskClient) -> None:
    body = problem(put(client, b'{"text": "\\ud800"}'), 422)
    assert body["errors"] == {"text": [SURROGATE_MESSAGE]}


def test_json_nested_three_thousand_deep_is_a_400(client: FlaskClient) -> None:
    problem(put(client, b'{"text": ' + b"[" * 3000 + b"]" * 3000 + b"}"), 400)


def test_an_ordinary_body_still_reaches_the_view(client: FlaskClient) -> None:
    response = put(client, json.dumps({"text": "Nováková \\u0041", "tags": ["x"]}).encode())
    assert response.status_code == 200 and seen == [{"text": "Nováková \\u0041", "tags": ["x"]}]


def test_a_nul_in_the_query_or_path_is_a_422_naming_it(client: FlaskClient) -> None:
    assert problem(client.get("/api/v1/notes/a?q=x%00y", headers=HEADERS), 422)["errors"] == {"q": [NUL_MESSAGE]}
    assert problem(client.get("/api/v1/notes/a%00b", headers=HEADERS), 422)["errors"] == {"name": [NUL_MESSAGE]}
    assert problem(client.get("/api/v1/no%00where", headers=HEADERS), 422)["errors"] == {"path": [NUL_MESSAGE]}
    assert seen == []


def test_an_over_long_url_is_414_and_an_over_long_header_431_as_problems(client: FlaskClient) -> None:
    problem(client.get("/api/v1/notes/a?q=" + "x" * MAX_URL_LENGTH, headers=HEADERS), 414)
    problem(client.get("/api/v1/notes/a", headers={**HEADERS, "X-Note": "x" * (MAX_HEADER_LENGTH + 1)}), 431)


def test_options_answers_the_allowed_methods_without_a_token(client: FlaskClient) -> None:
    response = client.options("/api/v1/notes/a")
    assert response.status_code == 200
    assert {"GET", "PUT", "OPTIONS"} <= set(response.headers["Allow"].split(", "))
    problem(client.options("/api/v1/nowhere"), 404)


def test_the_document_declares_problem_answers_on_every_operation(client: FlaskClient) -> None:
    document = client.get("/openapi.json").get_json()
    operations = document["paths"]["/api/v1/notes/{name}"]
    assert {"400", "401", "403", "404", "422"} <= set(operations["get"]["responses"])
    assert {"409", "412", "423"} <= set(operations["put"]["responses"])
    assert "default" not in operations["get"]["responses"]
    unauthorized = document["components"]["responses"]["UNAUTHORIZED"]
    assert unauthorized["content"]["application/problem+json"]["schema"] == {"$ref": "#/components/schemas/Problem"}
    assert {"title", "status"} <= set(document["components"]["schemas"]["Problem"]["required"])
