"""Calls from a service to another (the gateway, an owning service) on behalf of the caller, with the
caller's own token."""
from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from typing import Any, Mapping

import urllib3

from crm_shared import tracing
from crm_shared.errors import BadGateway, GatewayTimeout, Problem, ServiceUnavailable

log = logging.getLogger(__name__)

#: connect and read seconds: a service waits briefly, then answers 503 rather than hang
CONNECT_TIMEOUT = 1.0
READ_TIMEOUT = 3.0


@dataclass(frozen=True)
class Answer:
    """A service's answer: its status, headers (lower-case names) and JSON body (None when there is none)."""

    status: int
    body: Any
    headers: Mapping[str, str] = field(default_factory=dict)


class ServiceClient:
    """Send JSON requests to the suite's services; a transport failure is a 502/503/504 problem.

    urllib3's pool is safe to share between threads, and it opens connections lazily,
    so building it before a fork leaves nothing the forked workers could share.
    """

    def __init__(self, *, connect_timeout: float = CONNECT_TIMEOUT, read_timeout: float = READ_TIMEOUT,
                 pool_size: int = 4) -> None:
        self._timeout = urllib3.Timeout(connect=connect_timeout, read=read_timeout)
        self._pool = urllib3.PoolManager(maxsize=pool_size, retries=False)

    def send(self, method: str, url: str, headers: Mapping[str, str], body: Any = None, *,
             service: str = "service") -> Answer:
        """Send one request (`body` as JSON when given) and return the answer."""
        headers = {"Accept": "application/json", **headers}
        if body is not None:
            headers["Content-Type"] = "application/json"
        if tracing.enabled():  # the called service's span joins the caller's trace
            tracing.inject(headers)
        payload = json.dumps(body).encode() if body is not None else None
        try:
            response = self._pool.request(method, url, body=payload, timeout=self._timeout, headers=headers)
        except urllib3.exceptions.HTTPError as exc:
            log.warning("%s unreachable: %r", service, exc)
            raise self.unreachable(service, exc) from None
        return Answer(response.status, _json(response.data), {k.lower(): v for k, v in response.headers.items()})

    def unreachable(self, service: str, error: urllib3.exceptions.HTTPError) -> Problem:
        """Return the problem answering a call that got no answer: refused 503, too slow 504, else 502."""
        if isinstance(error, urllib3.exceptions.NewConnectionError):
            return ServiceUnavailable(f"The {service} service is unavailable; retry shortly.",
                                      headers={"Retry-After": "1"})
        if isinstance(error, urllib3.exceptions.TimeoutError):
            return GatewayTimeout(f"The {service} service did not answer in time.")
        return BadGateway(f"The {service} service gave no valid answer.")


class GatewayClient(ServiceClient):
    """GET JSON from the gateway with a bearer token; any transport failure is a 503 problem."""

    def __init__(self, base_url: str, *, connect_timeout: float = CONNECT_TIMEOUT,
                 read_timeout: float = READ_TIMEOUT, pool_size: int = 4) -> None:
        super().__init__(connect_timeout=connect_timeout, read_timeout=read_timeout, pool_size=pool_size)
        self.base_url = base_url.rstrip("/")

    def get(self, path: str, token: str) -> tuple[int, Any]:
        """Return the status and the JSON body (None when there is none) of GET `path`."""
        answer = self.send("GET", self.base_url + path, {"Authorization": f"Bearer {token}"}, service="gateway")
        return answer.status, answer.body

    def unreachable(self, service: str, error: urllib3.exceptions.HTTPError) -> Problem:
        return ServiceUnavailable("The gateway cannot be reached right now; retry shortly.",
                                  headers={"Retry-After": "1"})


def _json(raw: bytes) -> Any:
    try:
        return json.loads(raw) if raw else None
    except ValueError:
        return None
