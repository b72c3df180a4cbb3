"""The processes of each service as a deployment runs them: the suite runner's plan, in a container."""
from __future__ import annotations

import sys
from dataclasses import dataclass
from typing import Iterable

from crm_shared.declaration import ServiceDeclaration, installed

from crm_suite import plan

#: where relays and consumers answer /livez, /readyz and /metrics (CRM_PROBE_PORT)
PROBE_PORT = 9100
#: the folder every process keeps its state in, inside the image (CRM_DATA_DIR)
DATA_DIR = "/var/lib/crm"
#: prometheus-client's multiprocess folder, on its own writable in-memory volume
METRICS_DIR = "/tmp/metrics"
#: the image's interpreter: the virtual environment's python is first on PATH
PYTHON = "python"


@dataclass(frozen=True)
class Process:
    """One process of a service: `setup` (a one-off step), `api`, `relay` or `consumer`."""

    service: ServiceDeclaration
    kind: str
    name: str
    argv: tuple[str, ...]

    @property
    def http(self) -> bool:
        """Tell whether the process is the service's HTTP server (on the service's port)."""
        return self.kind == "api"

    @property
    def probed(self) -> bool:
        """Tell whether the process answers probes on PROBE_PORT (relays and consumers)."""
        return self.kind in ("relay", "consumer")


def services() -> list[ServiceDeclaration]:
    """Return the installed declarations in the runner's order (the gateway first, then by port)."""
    return sorted(installed(), key=lambda service: (service.name != "gateway", service.port, service.name))


def processes(service: ServiceDeclaration) -> list[Process]:
    """Return the service's setup step and long-running processes, as the suite runner starts them."""
    found = [Process(service, "setup", spec.name, container_argv(spec.argv)) for spec in plan.setup_steps([service])]
    for spec in plan.long_running({}, [service]):
        found.append(Process(service, _kind(service, spec.name), spec.name, container_argv(spec.argv)))
    return found


def runner_command_lines(declarations: Iterable[ServiceDeclaration] | None = None) -> set[tuple[str, ...]]:
    """Return every command line the suite runner starts, with the image's interpreter."""
    chosen = list(installed() if declarations is None else declarations)
    specs = [*plan.setup_steps(chosen), *plan.long_running({}, chosen)]
    return {container_argv(spec.argv) for spec in specs}


def container_argv(argv: list[str]) -> tuple[str, ...]:
    """Return a plan's command line as a container runs it: `python` instead of this interpreter's path."""
    return tuple(PYTHON if part == sys.executable else part for part in argv)


def setup_of(service: ServiceDeclaration) -> Process | None:
    """Return the service's one-off setup step, if it has one."""
    return next((process for process in processes(service) if process.kind == "setup"), None)


def _kind(service: ServiceDeclaration, name: str) -> str:
    if name == service.name:
        return "api"
    return name.removeprefix(f"{service.name}-")
