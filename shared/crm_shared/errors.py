"""The suite's error kinds, each with its HTTP status; free of Flask so any layer may raise them."""
from __future__ import annotations

from typing import Any, Callable, Mapping

from crm_shared.rules import DomainError, RecordLocked, RuleBroken, StateConflict


class Problem(Exception):
    """An error that becomes a problem+json answer; raise subclasses from use cases and views."""

    status = 500
    title = "Internal Server Error"

    def __init__(self, detail: str = "", *, headers: Mapping[str, str] | None = None, **extra: Any) -> None:
        super().__init__(detail or self.title)
        self.detail = detail or self.title
        self.headers = dict(headers or {})
        self.extra = extra


class BadRequest(Problem):
    status, title = 400, "Bad Request"


class Unauthorized(Problem):
    status, title = 401, "Unauthorized"

    def __init__(self, detail: str = "A valid bearer token is required.", **kwargs: Any) -> None:
        kwargs.setdefault("headers", {"WWW-Authenticate": 'Bearer realm="crm"'})
        super().__init__(detail, **kwargs)


class Forbidden(Problem):
    status, title = 403, "Forbidden"


class NotFound(Problem):
    status, title = 404, "Not Found"


class Conflict(Problem):
    status, title = 409, "Conflict"


class PreconditionFailed(Problem):
    status, title = 412, "Precondition Failed"


class ValidationFailed(Problem):
    """422 with the bad fields named: `errors = {"field": ["message", …]}`."""

    status, title = 422, "Unprocessable Content"

    def __init__(self, errors: Mapping[str, list[str]], detail: str = "The request has invalid fields.") -> None:
        super().__init__(detail, errors=dict(errors))


class PayloadTooLarge(Problem):
    """413: a body (an upload) larger than the service accepts."""

    status, title = 413, "Content Too Large"


class Locked(Problem):
    status, title = 423, "Locked"


class BadGateway(Problem):
    status, title = 502, "Bad Gateway"


class ServiceUnavailable(Problem):
    status, title = 503, "Service Unavailable"


class GatewayTimeout(Problem):
    status, title = 504, "Gateway Timeout"


#: the suite's one table from domain refusals to problems (most specific kind first)
DOMAIN_PROBLEMS: tuple[tuple[type[DomainError], Callable[[Any], Problem]], ...] = (
    (RuleBroken, lambda error: ValidationFailed(error.errors)),
    (RecordLocked, lambda error: Locked(str(error), **error.extra)),
    (StateConflict, lambda error: Conflict(str(error), **error.extra)),
)


def problem_of(error: DomainError) -> Problem:
    """Return the problem that answers a domain refusal (a 422, 423 or 409; 400 for another kind)."""
    for kind, make in DOMAIN_PROBLEMS:
        if isinstance(error, kind):
            return make(error)
    return BadRequest(str(error), **error.extra)
