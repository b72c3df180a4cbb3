"""Calls from a service to the gateway on behalf of the caller, with the caller's own token."""
from __future__ import annotations

import json
import logging
from typing import Any

import urllib3

from crm_shared import tracing
from crm_shared.errors import ServiceUnavailable

log = logging.getLogger(__name__)

#: connect and read seconds: a service waits briefly, then answers 503 rather than hang
CONNECT_TIMEOUT = 1.0
READ_TIMEOUT = 3.0


class GatewayClient:
    """GET JSON from the gateway with a bearer token; any transport failure is a 503 problem.

    urllib3's pool is safe to share between threads, and it opens connections lazily,
    so building it before a fork leaves nothing the forked workers could share.
    """

    def __init__(self, base_url: str, *, connect_timeout: float = CONNECT_TIMEOUT,
                 read_timeout: float = READ_TIMEOUT, pool_size: int = 4) -> None:
        self.base_url = base_url.rstrip("/")
        self._timeout = urllib3.Timeout(connect=connect_timeout, read=read_timeout)
        self._pool = urllib3.PoolManager(maxsize=pool_size, retries=False)

    def get(self, path: str, token: str) -> tuple[int, Any]:
        """Return the status and the JSON body (None when there is none) of GET `path`."""
        headers = {"Authorization": f"Bearer {token}", "Accept": "application/json"}
        if tracing.enabled():  # the gateway's span of this call joins the caller's trace
            tracing.inject(headers)
        try:
            response = self._pool.request("GET", self.base_url + path, timeout=self._timeout, headers=headers)
        except urllib3.exceptions.HTTPError as exc:
            log.warning("gateway unreachable: %r", exc)
            raise ServiceUnavailable("The gateway cannot be reached right now; retry shortly.",
                                     headers={"Retry-After": "1"}) from None
        return response.status, _json(response.data)


def _json(raw: bytes) -> Any:
    try:
        return json.loads(raw) if raw else None
    except ValueError:
        return None
