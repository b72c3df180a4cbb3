"""The owning services over HTTP: each entry's `object_link` names its owner by the declared routes."""
from __future__ import annotations

from typing import Any, Mapping

from crm_shared.config import service_url
from crm_shared.errors import (
    BadGateway, Conflict, Forbidden, GatewayTimeout, Locked, NotFound, PreconditionFailed, Problem,
    ServiceUnavailable, Unauthorized, ValidationFailed,
)
from crm_shared.gateway_client import Answer, ServiceClient
from crm_shared.routes import owner_of
from crm_shared.web import REQUEST_ID_HEADER, RESTORES_ENTRY_HEADER

from crm_audit.restoring import Caller, Record

#: seconds to wait for an owning service's answer (then 504)
READ_TIMEOUT = 10.0


class HttpOwningServices:
    """Call the service owning a link directly (CRM_<SERVICE>_URL), as the caller, with the request id."""

    def __init__(self, environ: Mapping[str, str], client: ServiceClient | None = None) -> None:
        self._environ = environ
        self._client = client or ServiceClient(read_timeout=READ_TIMEOUT)

    def read(self, link: str, caller: Caller) -> Record:
        return self._call("GET", link, caller)

    def patch(self, link: str, values: Mapping[str, Any], *, version: str | None, caller: Caller,
              restores_entry: str) -> Record:
        headers = {RESTORES_ENTRY_HEADER: restores_entry, **({"If-Match": version} if version else {})}
        return self._call("PATCH", link, caller, values, headers)

    def _call(self, method: str, link: str, caller: Caller, body: Any = None,
              headers: Mapping[str, str] | None = None) -> Record:
        service = owner_of(link)
        if service is None:
            raise Conflict(f"No service of the suite serves {link}; there is nothing to restore.")
        sent = {"Authorization": caller.authorization, REQUEST_ID_HEADER: caller.request_id, **(headers or {})}
        answer = self._client.send(method, service_url(service, self._environ) + link, sent, body, service=service)
        if answer.status >= 400:
            raise _problem(service, answer)
        if not isinstance(answer.body, Mapping):
            raise BadGateway(f"The {service} service gave no record for {link}.")
        return Record(answer.body, answer.headers.get("etag"))


#: the owning service's refusals, passed on with the same status and its detail
_PASSED: Mapping[int, type[Problem]] = {
    401: Unauthorized, 403: Forbidden, 404: NotFound, 409: Conflict, 412: PreconditionFailed, 423: Locked,
    502: BadGateway, 503: ServiceUnavailable, 504: GatewayTimeout,
}
_ENVELOPE = ("type", "title", "status", "detail")


def _problem(service: str, answer: Answer) -> Problem:
    """Return the problem passing on an owning service's refusal (its detail kept), 502 for anything else."""
    body = answer.body if isinstance(answer.body, Mapping) else {}
    detail = str(body.get("detail") or "")
    if answer.status == 422:
        errors = body.get("errors")
        return ValidationFailed(errors if isinstance(errors, Mapping) else {}, detail or "The value was refused.")
    kind = _PASSED.get(answer.status)
    if kind is None:
        return BadGateway(f"The {service} service answered {answer.status}.")
    if answer.status >= 500:
        return kind(f"The {service} service cannot restore it now: {detail or kind.title}")
    return kind(detail or kind.title, **{key: value for key, value in body.items() if key not in _ENVELOPE})
