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


def long_running(environ: dict[str, str], services: Iterable[ServiceDeclaration] | None = None) -> list[ProcessSpec]:
    """Return the suite's servers, relays and consumers, as the installed services declare them."""
    specs: list[ProcessSpec] = []
    for service in _services(services):
        if service.serve:
            specs.append(ProcessSpec(service.name, _module(service.package, "serve"),
                                     f"{service_url(service.name, environ)}/healthz"))
        if service.relay:
            specs.append(ProcessSpec(f"{service.name}-relay", _module("crm_shared.relay_main", service.name)))
        if service.consumes:
            specs.append(ProcessSpec(f"{service.name}-consumer", _module(service.package, "consume")))
    return specs


def _services(services: Iterable[ServiceDeclaration] | None) -> list[ServiceDeclaration]:
    """The given declarations, or the installed ones; the gateway first (it owns the signing key)."""
    found = list(installed() if services is None else services)
    return sorted(found, key=lambda service: service.name != "gateway")
