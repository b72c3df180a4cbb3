"""Measurement 3: lag from a write's HTTP response to its audit entry, at a steady open-loop rate."""
from __future__ import annotations

import http.client
import json
import threading
import time
from dataclasses import dataclass
from typing import Callable
from urllib.parse import urlsplit

from bench.events import PERSON_JSON
from bench.pacing import Pacing, open_loop
from bench.sightings import Sightings
from bench.stages import Stages, stages
from bench.stats import Latencies
from bench.suite import Suite


@dataclass(frozen=True)
class LagResult:
    """Lags seen, how many never arrived, and how the open loop kept its schedule."""

    lag: Latencies
    missing: int
    pacing: Pacing
    writes: Latencies | None = None
    stages: Stages | None = None


def suite_lag(suite: Suite, *, rate: float, seconds: float) -> LagResult:
    """Write persons straight to contacts; await each audit entry by polling the audit database.

    Neither the gateway nor the audit API is in the loop: on two cores the gateway's CPU would
    come out of the pipeline's share (and 200/s is close to what the gateway path sustains at
    all here), and polling through the API would load the services it measures.
    """
    post = _poster(suite.contacts, suite.token)
    writes: list[float] = []
    persons: list[str] = []
    with Sightings(suite.dsn("audit"), "audit_entries", "object_id") as sightings:

        def write(_index: int) -> None:
            sent = time.monotonic()
            person_id = post()
            answered = time.monotonic()
            sightings.expect(person_id, answered)
            writes.append(answered - sent)
            persons.append(person_id)

        pacing = open_loop(write, rate=rate, seconds=seconds)
        missing = sightings.wait_all(timeout=30)
    breakdown = stages(suite.dsn("contacts"), suite.dsn("audit"), persons)
    return LagResult(sightings.latencies(), missing, pacing, Latencies.of(writes), breakdown)


def _poster(base_url: str, token: str) -> Callable[[], str]:
    """Return a function that creates one person over a keep-alive connection of the calling thread."""
    address = urlsplit(base_url)
    local = threading.local()
    headers = {"Content-Type": "application/json", "Authorization": f"Bearer {token}"}
    body = PERSON_JSON.encode()

    def post() -> str:
        if not hasattr(local, "connection"):
            local.connection = http.client.HTTPConnection(address.hostname or "127.0.0.1", address.port, timeout=30)
        try:
            local.connection.request("POST", "/api/v1/persons", body=body, headers=headers)
            answer = local.connection.getresponse()
            payload = answer.read()
        except (OSError, http.client.HTTPException):
            local.connection.close()
            del local.connection  # the next call of this thread reconnects
            raise
        if answer.status != 201:
            raise RuntimeError(f"POST /api/v1/persons answered {answer.status}: {payload[:200]!r}")
        return str(json.loads(payload)["id"])

    return post
