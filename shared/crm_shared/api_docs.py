"""What every service's OpenAPI document says about errors: the Problem shape and where it answers."""
from __future__ import annotations

from dataclasses import dataclass
from http import HTTPStatus
from typing import Any

from apispec import APISpec, BasePlugin
from marshmallow import Schema, fields
from werkzeug.routing import Rule

PROBLEM_JSON = "application/problem+json"

#: The problems any operation may answer: bad JSON, token, role, missing, invalid fields,
#: and the database unavailable for a moment.
ANY_OPERATION = (400, 401, 403, 404, 422, 503)
#: The further problems of a change: a conflict, a stale If-Match, a record locked by another.
CHANGES = (409, 412, 423)
CHANGING_METHODS = frozenset({"post", "put", "patch", "delete"})


class ProblemSchema(Schema):
    """An RFC 9457 problem: every error answer of the suite."""

    type = fields.String(metadata={"example": "about:blank"})
    title = fields.String(required=True)
    status = fields.Integer(required=True)
    detail = fields.String()
    errors = fields.Dict(keys=fields.String(), values=fields.List(fields.String()),
                         metadata={"description": "For 422 (and some 400): each bad field and what is wrong."})


class ProblemResponses(BasePlugin):
    """Declare the suite's problem answers on every operation, as far as each does not already."""

    def operation_helper(self, path: str | None = None, operations: dict[str, Any] | None = None,
                         **kwargs: Any) -> None:
        for method, operation in (operations or {}).items():
            if not isinstance(operation, dict):
                continue
            responses = operation.setdefault("responses", {})
            declared = {str(status) for status in responses}
            for status in (*ANY_OPERATION, *(CHANGES if method in CHANGING_METHODS else ())):
                if str(status) not in declared:
                    responses[str(status)] = HTTPStatus(status).name


@dataclass(frozen=True)
class StreamDoc:
    """A server-sent-event stream served beside the Flask app (by `crm_shared.live`), for the document.

    The live server answers the path before the Flask app sees it, so the stream has no view to
    describe it: the service app adds it to its OpenAPI document from this.
    """

    path: str
    summary: str
    description: str
    #: the SSE event name and the schema of each event's data (a registered component's name)
    event: str
    data_schema: str
    tag: str
    #: the query parameters (a marshmallow schema class), if any
    query: type[Schema] | None = None


def document_stream(spec: APISpec, stream: StreamDoc) -> None:
    """Add a stream's GET operation: its query, `Last-Event-ID`, and `text/event-stream` answer."""
    parameters: list[dict[str, Any]] = [{
        "in": "header", "name": "Last-Event-ID", "required": False, "schema": {"type": "string"},
        "description": "The `id` of the last event received: the stream goes on after it.",
    }]
    if stream.query is not None:
        parameters.insert(0, {"in": "query", "schema": stream.query})
    # flask-smorest's plugin reads the path from a werkzeug rule (a stream's path has no parameters)
    spec.path(path=stream.path, rule=Rule(stream.path), operations={"get": {
        "tags": [stream.tag],
        "summary": stream.summary,
        "description": stream.description,
        "parameters": parameters,
        "responses": {"200": {
            "description": f"Events `{stream.event}`, each with an `id` and the data as JSON "
                           f"(`{stream.data_schema}`), and a comment line now and then to keep the connection.",
            "content": {"text/event-stream": {"schema": {"type": "string"}}},
            "x-event": {"name": stream.event, "data": {"$ref": f"#/components/schemas/{stream.data_schema}"}},
        }},
    }})
