"""Configuration of one process, read from the environment once at its composition root."""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping

SERVICES = ("gateway", "contacts", "deals", "tasks", "audit", "counters", "interactions")

#: ports the contract reserves for services whose packages are not installed yet; an
#: installed service's port is the one its declaration names (crm_shared.declaration)
RESERVED_PORTS = {"tasks": 8083, "counters": 8085, "interactions": 8086}

DEFAULT_ARES_URL = "https://ares.gov.cz/ekonomicke-subjekty-v-be/rest"


def service_port(service: str, environ: Mapping[str, str]) -> int:
    """Return the port a service listens on: CRM_<SERVICE>_PORT or its default."""
    from crm_shared.declaration import declared

    explicit = environ.get(f"CRM_{service.upper()}_PORT")
    if explicit:
        return int(explicit)
    declaration = declared(service)
    return declaration.port if declaration else RESERVED_PORTS.get(service, 0)


def service_url(service: str, environ: Mapping[str, str]) -> str:
    """Return the internal base URL of a service: CRM_<SERVICE>_URL or the local default."""
    explicit = environ.get(f"CRM_{service.upper()}_URL")
    if explicit:
        return explicit.rstrip("/")
    return f"http://127.0.0.1:{service_port(service, environ)}"


@dataclass(frozen=True)
class Settings:
    """Everything a process of the suite needs to know about its surroundings."""

    service: str
    data_dir: Path
    database_url: str
    broker_url: str
    jwks_url: str
    port: int
    broker_polling_interval: float = 0.05
    token_issuer: str = "crm-gateway"
    token_audience: str = "crm"
    extra: Mapping[str, str] = field(default_factory=dict)

    @property
    def embedded_broker(self) -> bool:
        """True when the broker is the embedded file transport rather than a server."""
        return self.broker_url.startswith("filesystem://")

    @classmethod
    def from_env(cls, service: str, environ: Mapping[str, str] | None = None) -> "Settings":
        """Read the settings of `service` from the environment."""
        env = dict(os.environ if environ is None else environ)
        data_dir = Path(env.get("CRM_DATA_DIR") or "./var").resolve()
        template = env.get("CRM_DATABASE_URL") or f"sqlite:///{data_dir}/{{service}}.sqlite3"
        return cls(
            service=service,
            data_dir=data_dir,
            database_url=template.replace("{service}", service),
            broker_url=env.get("CRM_BROKER_URL") or "filesystem://",
            jwks_url=env.get("CRM_JWKS_URL")
            or f"{service_url('gateway', env)}/.well-known/jwks.json",
            port=service_port(service, env),
            broker_polling_interval=float(env.get("CRM_BROKER_POLLING_INTERVAL") or 0.05),
            extra=env,
        )
