"""Which processes make up the suite, and the one-off steps before they start."""
from __future__ import annotations

import sys
from dataclasses import dataclass, field
from typing import Iterable

from crm_shared.config import service_url
from crm_shared.declaration import ServiceDeclaration, installed


@dataclass(frozen=True)
class ProcessSpec:
    """A process of the suite: its name, command line, and the URL that answers when it is up."""

    name: str
    argv: list[str]
    health_url: str | None = None
    env: dict[str, str] = field(default_factory=dict)


def _module(module: str, *args: str) -> list[str]:
    return [sys.executable, "-m", module, *args]


def setup_steps(services: Iterable[ServiceDeclaration] | None = None) -> list[ProcessSpec]:
    """Return the steps that must finish before the suite serves: each service's setup (migrations, keys, first admin)."""
    return [
        ProcessSpec(f"{service.name}-{service.setup}", _module(service.package, service.setup))
        for service in _services(services) if service.setup
    ]


#: `CRM_PROBE_PORTS=auto`: every relay and consumer serves /livez, /readyz and /metrics on a free
#: port of its own and writes it to `<data dir>/run/<process>.port` (unset: no probe ports)
PROBE_PORTS_ENV = "CRM_PROBE_PORTS"


def long_running(environ: dict[str, str], services: Iterable[ServiceDeclaration] | None = None) -> list[ProcessSpec]:
    """Return the suite's servers, relays and consumers, as the installed services declare them."""
    specs: list[ProcessSpec] = []
    for service in _services(services):
        if service.serve:
            specs.append(ProcessSpec(service.name, _module(service.package, "serve"),
                                     f"{service_url(service.name, environ)}/healthz"))
        if service.relay:
            name = f"{service.name}-relay"
            specs.append(ProcessSpec(name, _module("crm_shared.relay_main", service.name), env=_probe_env(name, environ)))
        if service.consumes:
            name = f"{service.name}-consumer"
            specs.append(ProcessSpec(name, _module(service.package, "consume"), env=_probe_env(name, environ)))
    return specs


def _probe_env(process: str, environ: dict[str, str]) -> dict[str, str]:
    if environ.get(PROBE_PORTS_ENV) != "auto":
        return {}
    return {"CRM_PROBE_PORT": "0", "CRM_PROCESS_NAME": process}


def _services(services: Iterable[ServiceDeclaration] | None) -> list[ServiceDeclaration]:
    """The given declarations, or the installed ones; the gateway first (it owns the signing key)."""
    found = list(installed() if services is None else services)
    return sorted(found, key=lambda service: service.name != "gateway")
