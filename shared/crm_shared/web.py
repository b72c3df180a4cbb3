"""The base of every service's Flask app: API docs, problem errors, request ids, auth, probes."""
from __future__ import annotations

import logging
import os
import time
import uuid
from http import HTTPStatus
from typing import Any, Callable, Iterable

import flask_smorest
from apispec.ext.marshmallow import MarshmallowPlugin
from apispec.ext.marshmallow.common import resolve_schema_cls
from flask_smorest.utils import prepare_response
from flask import Flask, Response, g, jsonify, request
from werkzeug.exceptions import HTTPException
from werkzeug.http import HTTP_STATUS_CODES

from crm_shared import api_docs, auth, hostile_input, logs, metrics, problems, tracing
from crm_shared.config import Settings

REQUEST_ID_HEADER = "X-Request-ID"
#: set by the audit service when it restores an entry's value; the gateway never passes it on
RESTORES_ENTRY_HEADER = "X-CRM-Restores-Entry"
PUBLIC_PATHS = ("/healthz", "/readyz", "/metrics", "/openapi.json", "/docs")
#: the route of requests no URL rule matched (404s): one label value, never the raw path
UNMATCHED = "<unmatched>"
#: a view that serves many templates under one rule (the gateway's proxy) names the template here, on `g`
ROUTE_LABEL = "metrics_route"

access_log = logging.getLogger("crm.access")


class ProblemApi(flask_smorest.Api):
    """flask-smorest's Api with problem+json for every error it raises (422 included).

    Its document declares those answers as `Problem` in application/problem+json on every
    operation (api_docs), and no catch-all `default` answer, so that an answer a client
    may get and the document does not name is a finding, not a match.
    """

    ERROR_SCHEMA = api_docs.ProblemSchema
    DEFAULT_ERROR_RESPONSE_NAME = None

    def _register_responses(self) -> None:
        for status in HTTPStatus:
            response: dict[str, Any] = {"description": status.phrase}
            if status >= 400:
                response["schema"] = self.ERROR_SCHEMA
            prepare_response(response, self.spec, api_docs.PROBLEM_JSON)
            self.spec.components.response(status.name, response, lazy=True)

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
    streams: Iterable[api_docs.StreamDoc] = (),
) -> tuple[Flask, ProblemApi]:
    """Build a service app: every route needs a token except the probes and API docs.

    `streams` are the server-sent-event paths the service's live server answers beside the app:
    they are only added to its OpenAPI document.
    """
    if os.environ.get("CRM_JSON_LOGS"):
        logs.configure(os.environ["CRM_JSON_LOGS"])
    tracing.configure(settings.service)
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
    api = ProblemApi(app, spec_kwargs={"marshmallow_plugin": MarshmallowPlugin(schema_name_resolver=schema_name),
                                       "extra_plugins": [api_docs.ProblemResponses()]})
    problems.register(app)
    app.wsgi_app = RequestLimits(app.wsgi_app)  # type: ignore[method-assign]
    _request_ids(app)
    _observe_requests(app, settings.service)
    _options(app)
    _refuse_hostile_input(app)
    _probes(app, readiness)
    if verifier is not None:
        auth.init_app(app, verifier, public_paths=(*PUBLIC_PATHS, *public_paths))
    for blueprint in blueprints:
        api.register_blueprint(blueprint)
    for stream in streams:
        api_docs.document_stream(api.spec, stream)
    return app, api


class RequestLimits:
    """WSGI middleware answering 414 / 431 problems for over-long request targets and headers.

    gunicorn runs with limits above these (cli.serve), so the suite's own limits are met
    here and answered as problem+json rather than in gunicorn's own format.
    """

    def __init__(self, wsgi_app: Callable[..., Any]) -> None:
        self.wsgi_app = wsgi_app

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        refusal = hostile_input.oversize(environ)
        if refusal is None:
            return self.wsgi_app(environ, start_response)
        status, detail = refusal
        return problems.problem_response(status, HTTP_STATUS_CODES[status], detail)(environ, start_response)


def _options(app: Flask) -> None:
    """Answer OPTIONS with the allowed methods before any hook that needs a caller runs."""

    @app.before_request
    def _answer_options() -> Response | None:
        if request.method != "OPTIONS" or request.routing_exception is not None:
            return None
        return app.make_default_options_response()


def _refuse_hostile_input(app: Flask) -> None:
    """Refuse NUL characters and lone surrogates in the path, query and JSON body, and deep JSON."""

    @app.before_request
    def _check_request() -> None:
        path_args = [(name, value) for name, value in (request.view_args or {}).items() if isinstance(value, str)]
        hostile_input.check_texts(path_args or [("path", request.path)])
        hostile_input.check_texts((name, text) for name, value in request.args.items(multi=True)
                                  for text in (name, value))
        view = app.view_functions.get(request.endpoint or "")
        if request.is_json and not getattr(view, "passes_body_through", False):
            hostile_input.check_json_body(request.get_data(cache=True))


def _request_ids(app: Flask) -> None:
    @app.before_request
    def _take_request_id() -> None:
        g.request_id = request.headers.get(REQUEST_ID_HEADER) or str(uuid.uuid4())

    @app.after_request
    def _echo_request_id(response: Response) -> Response:
        response.headers[REQUEST_ID_HEADER] = g.get("request_id", "")
        return response


def _observe_requests(app: Flask, service: str) -> None:
    """Count and time every answer by URL rule and status, log it as JSON, and trace it (when on)."""
    access = os.environ.get("CRM_ACCESS_LOG", "1") != "0"
    metrics.OPEN_STREAMS.labels(service)  # shown at 0 by every API, counted by those that stream
    tracer = tracing.tracer() if tracing.enabled() else None

    @app.before_request
    def _start() -> None:
        g.started = time.perf_counter()
        if tracer is not None:
            rule = request.url_rule.rule if request.url_rule is not None else UNMATCHED
            span = tracer.start_span(f"{request.method} {rule}", context=tracing.extract(request.headers),
                                     kind=tracing.SpanKind.SERVER,
                                     attributes={"http.request.method": request.method, "http.route": rule,
                                                 "url.path": request.path, "crm.request_id": g.request_id})
            g.span = span
            g.span_token = tracing.context.attach(tracing.trace.set_span_in_context(span))

    @app.after_request
    def _record(response: Response) -> Response:
        started = g.get("started")
        if started is None:
            return response
        elapsed = time.perf_counter() - started
        rule = g.get(ROUTE_LABEL) or (request.url_rule.rule if request.url_rule is not None else UNMATCHED)
        status = response.status_code
        metrics.HTTP_REQUESTS.labels(service, request.method, rule, str(status)).inc()
        metrics.HTTP_LATENCY.labels(service, request.method, rule).observe(elapsed)
        span = g.get("span")
        if span is not None:
            span.update_name(f"{request.method} {rule}")
            span.set_attributes({"http.route": rule, "http.response.status_code": status})
            if status >= 500:
                span.set_status(tracing.Status(tracing.StatusCode.ERROR))
        if access:
            access_log.info("request", extra={
                "request_id": g.get("request_id", ""), "method": request.method, "route": rule,
                "path": request.path, "status": status, "duration_ms": round(elapsed * 1000, 2),
                "remote_addr": request.remote_addr})
        return response

    @app.teardown_request
    def _end_span(_error: BaseException | None) -> None:
        span = g.pop("span", None)
        if span is not None:
            span.end()
            tracing.context.detach(g.pop("span_token"))


def _probes(app: Flask, readiness: Callable[[], None]) -> None:
    @app.get("/metrics")
    def _metrics():  # type: ignore[no-untyped-def]
        body, content_type = metrics.exposition()
        return Response(body, content_type=content_type)

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


def restores_entry() -> str:
    """Return the audit entry this request restores (`X-CRM-Restores-Entry`), "" when none; 422 if malformed."""
    value = request.headers.get(RESTORES_ENTRY_HEADER, "")
    if not value:
        return ""
    try:
        return str(uuid.UUID(value))
    except ValueError:
        raise problems.ValidationFailed({RESTORES_ENTRY_HEADER: ["Must be the id of an audit entry."]}) from None
