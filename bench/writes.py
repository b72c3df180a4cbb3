"""Measurements 1, 1b, 1c and 2: POST /api/v1/persons on the bare handler, the contacts service, the gateway;
POST /api/v1/deals on the deals service; POST /api/v1/tasks on the tasks service."""
from __future__ import annotations

import os
import time
from dataclasses import dataclass, replace

import requests

from crm_suite.testing import free_port

from bench import baseline_app, wrk
from bench.events import DEAL_JSON, PERSON_JSON, task_json
from bench.suite import Suite, paused
from bench.workers import cores_per_worker, describe
from bench.workspace import Workspace, python_module

PATH = "/api/v1/persons"
DEALS_PATH = "/api/v1/deals"
TASKS_PATH = "/api/v1/tasks"


@dataclass(frozen=True)
class Target:
    """A server to load, its token, the gunicorn masters whose workers serve it, and what to POST where."""

    url: str
    token: str
    masters: dict[str, int]
    path: str = PATH
    body: str = PERSON_JSON


@dataclass(frozen=True)
class Loaded:
    """What wrk measured, and how the workers shared the work (cores per worker)."""

    http: wrk.HttpResult
    shares: dict[str, list[float]]


@dataclass(frozen=True)
class WriteResults:
    """The person write measured on three targets, the deal write on deals and the task write on tasks.

    `deals` / `tasks` is None if that load failed (`deals_error` / `tasks_error` says why): the others count.
    """

    bare: Loaded
    direct: Loaded
    gateway: Loaded
    deals: Loaded | None = None
    deals_error: str | None = None
    tasks: Loaded | None = None
    tasks_error: str | None = None

    def loads(self) -> dict[str, Loaded]:
        """Return the loads that were measured, by name, in the order of the table."""
        named = {"bare": self.bare, "direct": self.direct, "deals": self.deals, "tasks": self.tasks,
                 "gateway": self.gateway}
        return {name: loaded for name, loaded in named.items() if loaded is not None}

    def shares(self) -> str:
        """Return the cores each worker used, per load."""
        return "; ".join(f"{name}: {describe(loaded.shares)}" for name, loaded in self.loads().items())


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
    """Load each target in turn with the relays and consumers held, so only HTTP is measured."""
    contacts = suite.running.pid("contacts")
    direct = Target(suite.contacts, suite.token, {"contacts": contacts})
    gateway = Target(suite.gateway, suite.token, {"gateway": suite.running.pid("gateway"), "contacts": contacts})
    deals = Target(suite.deals, suite.token, {"deals": suite.running.pid("deals")}, DEALS_PATH, DEAL_JSON)
    log = workspace.results_dir / "wrk.log"
    with paused(suite):
        measured = [load(target, settings, log) for target in (bare, direct, gateway)]
        results = WriteResults(*measured)
        try:  # each further write's own row says FAILED if it cannot be taken; lines 1 and 2 stand
            results = replace(results, deals=load(deals, settings, log))
        except Exception as exc:
            results = replace(results, deals_error=_error(exc))
        try:
            results = replace(results, tasks=load(_tasks_target(suite), settings, log))
        except Exception as exc:
            results = replace(results, tasks_error=_error(exc))
        return results


def _tasks_target(suite: Suite) -> Target:
    """The tasks service, POSTed a deadline task of the default type "Call"."""
    types = requests.get(f"{suite.tasks}/api/v1/task-types", headers={"Authorization": f"Bearer {suite.token}"},
                         timeout=10).json()["items"]
    call = next(item["id"] for item in types if item["name"] == "Call")
    return Target(suite.tasks, suite.token, {"tasks": suite.running.pid("tasks")}, TASKS_PATH, task_json(call))


def _error(exc: Exception) -> str:
    return f"{type(exc).__name__}: {' '.join(str(exc).split())[:300]}"


def load(target: Target, settings: wrk.LoadSettings, log: os.PathLike[str]) -> Loaded:
    """Check that the target answers 201, warm it up, then load it for the measured duration, watching its workers."""
    url = target.url + target.path
    _check_created(url, target)
    wrk.run_wrk(url, target.body, target.token, settings.connections, settings.threads, settings.warmup_seconds, log)
    result, shares = cores_per_worker(target.masters, lambda: wrk.run_wrk(
        url, target.body, target.token, settings.connections, settings.threads, settings.seconds, log))
    return Loaded(result, shares)


def _check_created(url: str, target: Target) -> None:
    """POST the body once: a target that refuses it would otherwise measure only its error answers."""
    headers = {"Content-Type": "application/json"}
    if target.token:
        headers["Authorization"] = f"Bearer {target.token}"
    answer = requests.post(url, data=target.body.encode(), headers=headers, timeout=10)
    if answer.status_code != 201:
        raise RuntimeError(f"POST {url} answered {answer.status_code}: {answer.text[:300]}")
