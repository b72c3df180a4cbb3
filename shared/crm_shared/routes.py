"""Which service owns which /api/v1 path, as the services declare it (the gateway routes by it,
the audit service finds the owner of an entry's object link with it)."""
from __future__ import annotations

from functools import lru_cache
from typing import Iterable, Mapping

from crm_shared.declaration import ServiceDeclaration, installed

API_PREFIX = "/api/v1/"

#: Prefixes the contract gives to services whose packages are not installed yet (their
#: declarations take them over once installed; see crm_shared.declaration).
ANNOUNCED: Mapping[str, str] = {
    "counters": "counters",
    "interactions": "interactions",
    "interaction-templates": "interactions",
}


def declared_owners(services: Iterable[ServiceDeclaration]) -> dict[str, str]:
    """Return the first path segment after /api/v1/ and the service that owns it, as declared."""
    owners = dict(ANNOUNCED)
    for service in services:
        owners.update({prefix: service.name for prefix in service.routes})
    return owners


def stream_paths(services: Iterable[ServiceDeclaration]) -> dict[str, str]:
    """Return the full path of each declared stream (`/api/v1/counters/stream`) and the service serving it."""
    return {f"{API_PREFIX}{stream}": service.name for service in services for stream in service.streams}


@lru_cache(maxsize=1)
def owners() -> Mapping[str, str]:
    """Return the owners of the installed services' path segments."""
    return declared_owners(installed())


def owner_of(path: str, table: Mapping[str, str] | None = None) -> str | None:
    """Return the service owning an /api/v1 path, or None when no service does."""
    if not path.startswith(API_PREFIX):
        return None
    segment = path[len(API_PREFIX):].split("/", 1)[0]
    return (owners() if table is None else table).get(segment)
