"""What every service's OpenAPI document says about errors: the Problem shape and where it answers."""
from __future__ import annotations

from http import HTTPStatus
from typing import Any

from apispec import BasePlugin
from marshmallow import Schema, fields

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
