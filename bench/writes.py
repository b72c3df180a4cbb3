"""Measurements 1 and 2: POST /api/v1/persons on the bare handler, the contacts service, the gateway."""
from __future__ import annotations

import os
import time
from dataclasses import dataclass

import requests

from crm_suite.testing import free_port

from bench import baseline_app, wrk
from bench.events import PERSON_JSON
from bench.suite import Suite, paused
from bench.workers import cores_per_worker, describe
from bench.workspace import Workspace, python_module

PATH = "/api/v1/persons"


@dataclass(frozen=True)
class Target:
    """A server to load, its token, and the gunicorn masters whose workers serve it."""

    url: str
    token: str
    masters: dict[str, int]


@dataclass(frozen=True)
class Loaded:
    """What wrk measured, and how the workers shared the work (cores per worker)."""

    http: wrk.HttpResult
    shares: dict[str, list[float]]


@dataclass(frozen=True)
class WriteResults:
    """The same write measured on three targets."""

    bare: Loaded
    direct: Loaded
    gateway: Loaded

    def shares(self) -> str:
        """Return the cores each worker used, per load."""
        return "; ".join(f"{name}: {describe(getattr(self, name).shares)}" for name in ("bare", "direct", "gateway"))


def start_bare(workspace: Workspace) -> Target:
    """Start the bare handler under the suite's gunicorn settings."""
    database_url = workspace.database("baseline")
    baseline_app.create_schema(database_url)
    port = free_port()
    env = {**os.environ, "CRM_DATABASE_URL": database_url, "CRM_BASELINE_PORT": str(port)}
    process = workspace.process("baseline-app", python_module("bench.baseline_app"), env)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while process.poll() is None and time.monotonic() < deadline:
        try:
            if requests.get(f"{base}/healthz", timeout=1).ok:
                return Target(base, "", {"bare": process.pid})  # serve() exec'd gunicorn in this pid
        except requests.RequestException:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"the bare handler did not start (see {workspace.results_dir}/baseline-app.log)")


def measure_writes(workspace: Workspace, suite: Suite, bare: Target, settings: wrk.LoadSettings) -> WriteResults:
    """Load each target in turn with the relay and the audit consumer held, so only HTTP is measured."""
    contacts = suite.running.pid("contacts")
    direct = Target(suite.contacts, suite.token, {"contacts": contacts})
    gateway = Target(suite.gateway, suite.token, {"gateway": suite.running.pid("gateway"), "contacts": contacts})
    log = workspace.results_dir / "wrk.log"
    with paused(suite):
        return WriteResults(*(load(target, settings, log) for target in (bare, direct, gateway)))


def load(target: Target, settings: wrk.LoadSettings, log: os.PathLike[str]) -> Loaded:
    """Warm the target up, then load it for the measured duration, watching its workers."""
    url = target.url + PATH
    wrk.run_wrk(url, PERSON_JSON, target.token, settings.connections, settings.threads, settings.warmup_seconds, log)
    result, shares = cores_per_worker(target.masters, lambda: wrk.run_wrk(
        url, PERSON_JSON, target.token, settings.connections, settings.threads, settings.seconds, log))
    return Loaded(result, shares)
