"""RFC 9457 problem details: the one error shape of the whole suite, for every error kind."""
from __future__ import annotations

import json
import logging
from typing import Any, Mapping

import sqlalchemy as sa
from flask import Flask, Response
from werkzeug.exceptions import HTTPException

from crm_shared.errors import (  # noqa: F401  (re-exported: views raise them from here too)
    BadGateway, BadRequest, Conflict, Forbidden, GatewayTimeout, Locked, NotFound,
    PreconditionFailed, Problem, ServiceUnavailable, Unauthorized, ValidationFailed, problem_of,
)
from crm_shared.rules import DomainError

log = logging.getLogger(__name__)

PROBLEM_JSON = "application/problem+json"


def problem_response(
    status: int, title: str, detail: str, *, headers: Mapping[str, str] | None = None, **extra: Any
) -> Response:
    """Build a problem+json response."""
    body = {"type": "about:blank", "title": title, "status": status, "detail": detail, **extra}
    response = Response(json.dumps(body, ensure_ascii=False), status=status, mimetype=PROBLEM_JSON)
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def flatten_validation_messages(messages: Any) -> dict[str, list[str]]:
    """Turn webargs' `{"json": {"field": [...]}, "query": {...}}` into `{"field": [...]}`."""
    errors: dict[str, list[str]] = {}

    def walk(prefix: str, value: Any) -> None:
        if isinstance(value, Mapping):
            for key, inner in value.items():
                walk(f"{prefix}.{key}" if prefix else str(key), inner)
        elif isinstance(value, list) and all(isinstance(item, str) for item in value):
            errors.setdefault(prefix or "_body", []).extend(value)
        elif isinstance(value, list):
            for index, inner in enumerate(value):
                walk(f"{prefix}.{index}", inner)
        else:
            errors.setdefault(prefix or "_body", []).append(str(value))

    if isinstance(messages, Mapping):
        for location_value in messages.values():
            walk("", location_value)
    else:
        walk("", messages)
    return {("_body" if key == "_schema" else key): value for key, value in errors.items()}


def http_exception_response(error: HTTPException) -> Response:
    """Render any werkzeug / webargs HTTP error as problem+json."""
    status = error.code or 500
    data = getattr(error, "data", None) or {}
    messages = data.get("messages")
    extra: dict[str, Any] = {}
    detail = error.description or error.name
    if status == 422 and messages is not None:
        extra["errors"] = flatten_validation_messages(messages)
        detail = "The request has invalid fields."
    elif status == 400 and messages is not None:
        detail = "The request body is not valid JSON."
    headers = dict(data.get("headers") or {})
    if status == 405 and error.get_headers():
        headers.update({k: v for k, v in error.get_headers() if k == "Allow"})
    title = "Unprocessable Content" if status == 422 else error.name
    return problem_response(status, title, detail, headers=headers, **extra)


def register(app: Flask) -> None:
    """Answer every error raised in `app` as problem+json."""

    @app.errorhandler(Problem)
    def _problem(error: Problem):  # type: ignore[no-untyped-def]
        return problem_response(error.status, error.title, error.detail, headers=error.headers, **error.extra)

    @app.errorhandler(DomainError)
    def _refused(error: DomainError):  # type: ignore[no-untyped-def]
        return _problem(problem_of(error))

    @app.errorhandler(HTTPException)
    def _http(error: HTTPException):  # type: ignore[no-untyped-def]
        return http_exception_response(error)

    @app.errorhandler(sa.exc.OperationalError)
    @app.errorhandler(sa.exc.InterfaceError)
    def _database_unavailable(error: sa.exc.DBAPIError):  # type: ignore[no-untyped-def]
        log.warning("database unavailable: %s", error.orig)
        return problem_response(503, "Service Unavailable", "The database is unavailable; retry shortly.",
                                headers={"Retry-After": "1"})

    @app.errorhandler(Exception)
    def _unexpected(error: Exception):  # type: ignore[no-untyped-def]
        log.exception("unhandled error")
        return problem_response(500, "Internal Server Error", "An unexpected error occurred.")
