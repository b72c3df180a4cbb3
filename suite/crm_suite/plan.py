"""Which processes make up the suite, and the one-off steps before they start."""
from __future__ import annotations

import sys
from dataclasses import dataclass, field

from crm_shared.config import service_url


@dataclass(frozen=True)
class ProcessSpec:
    """A process of the suite: its name, command line, and the URL that answers when it is up."""

    name: str
    argv: list[str]
    health_url: str | None = None
    env: dict[str, str] = field(default_factory=dict)


def _module(module: str, *args: str) -> list[str]:
    return [sys.executable, "-m", module, *args]


def setup_steps() -> list[ProcessSpec]:
    """Return the steps that must finish before the suite serves: migrations, keys, first admin."""
    return [
        ProcessSpec("gateway-bootstrap", _module("crm_gateway", "bootstrap")),
        ProcessSpec("contacts-migrate", _module("crm_contacts", "migrate")),
        ProcessSpec("audit-migrate", _module("crm_audit", "migrate")),
        ProcessSpec("deals-migrate", _module("crm_deals", "migrate")),
    ]


def long_running(environ: dict[str, str]) -> list[ProcessSpec]:
    """Return the suite's servers, relays and consumers."""
    def health(service: str) -> str:
        return f"{service_url(service, environ)}/healthz"

    return [
        ProcessSpec("gateway", _module("crm_gateway", "serve"), health("gateway")),
        ProcessSpec("gateway-relay", _module("crm_shared.relay_main", "gateway")),
        ProcessSpec("contacts", _module("crm_contacts", "serve"), health("contacts")),
        ProcessSpec("contacts-relay", _module("crm_shared.relay_main", "contacts")),
        ProcessSpec("contacts-consumer", _module("crm_contacts", "consume")),
        ProcessSpec("deals", _module("crm_deals", "serve"), health("deals")),
        ProcessSpec("deals-relay", _module("crm_shared.relay_main", "deals")),
        ProcessSpec("deals-consumer", _module("crm_deals", "consume")),
        ProcessSpec("audit", _module("crm_audit", "serve"), health("audit")),
        ProcessSpec("audit-consumer", _module("crm_audit", "consume")),
    ]
