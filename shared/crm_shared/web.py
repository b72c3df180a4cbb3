"""The base of every service's Flask app: API docs, problem errors, request ids, auth, probes."""
from __future__ import annotations

import os
import uuid
from typing import Callable, Iterable

import flask_smorest
from apispec.ext.marshmallow import MarshmallowPlugin
from apispec.ext.marshmallow.common import resolve_schema_cls
from flask import Flask, Response, g, jsonify, request
from werkzeug.exceptions import HTTPException

from crm_shared import auth, logs, problems
from crm_shared.config import Settings

REQUEST_ID_HEADER = "X-Request-ID"
PUBLIC_PATHS = ("/healthz", "/readyz", "/openapi.json", "/docs")


class ProblemApi(flask_smorest.Api):
    """flask-smorest's Api with problem+json for every error it raises (422 included)."""

    def handle_http_exception(self, error: HTTPException) -> Response:  # type: ignore[override]
        return problems.http_exception_response(error)


def schema_name(schema: object) -> str:
    """Name schemas in the OpenAPI document without "Schema", partial ones as "…Patch"."""
    name = resolve_schema_cls(schema).__name__.removesuffix("Schema")
    if getattr(schema, "partial", False):
        name = name.removesuffix("In") + "Patch"
    return name


def create_service_app(
    settings: Settings,
    *,
    title: str,
    blueprints: Iterable[flask_smorest.Blueprint],
    verifier: auth.TokenVerifier | None,
    readiness: Callable[[], None] = lambda: None,
    public_paths: Iterable[str] = (),
) -> tuple[Flask, ProblemApi]:
    """Build a service app: every route needs a token except the probes and API docs."""
    if os.environ.get("CRM_JSON_LOGS"):
        logs.configure(os.environ["CRM_JSON_LOGS"])
    app = Flask(settings.service)
    app.config.update(
        API_TITLE=title,
        API_VERSION="v1",
        OPENAPI_VERSION="3.1.0",
        OPENAPI_URL_PREFIX="/",
        OPENAPI_JSON_PATH="openapi.json",
        JSON_SORT_KEYS=False,
    )
    app.json.ensure_ascii = False  # type: ignore[attr-defined]
    app.json.sort_keys = False  # type: ignore[attr-defined]
    api = ProblemApi(app, spec_kwargs={"marshmallow_plugin": MarshmallowPlugin(schema_name_resolver=schema_name)})
    problems.register(app)
    _request_ids(app)
    _probes(app, readiness)
    if verifier is not None:
        auth.init_app(app, verifier, public_paths=(*PUBLIC_PATHS, *public_paths))
    for blueprint in blueprints:
        api.register_blueprint(blueprint)
    return app, api


def _request_ids(app: Flask) -> None:
    @app.before_request
    def _take_request_id() -> None:
        g.request_id = request.headers.get(REQUEST_ID_HEADER) or str(uuid.uuid4())

    @app.after_request
    def _echo_request_id(response: Response) -> Response:
        response.headers[REQUEST_ID_HEADER] = g.get("request_id", "")
        return response


def _probes(app: Flask, readiness: Callable[[], None]) -> None:
    @app.get("/healthz")
    def _healthz():  # type: ignore[no-untyped-def]
        return jsonify(status="ok")

    @app.get("/readyz")
    def _readyz():  # type: ignore[no-untyped-def]
        try:
            readiness()
        except Exception as exc:  # any failing dependency means "not ready"
            return problems.problem_response(503, "Service Unavailable", f"Not ready: {exc}")
        return jsonify(status="ready")


def request_id() -> str:
    """Return the id of the current request (the correlation id of its events)."""
    return g.get("request_id") or str(uuid.uuid4())
