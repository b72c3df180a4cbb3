"""Which service owns which /api/v1 path: the gateway's route table."""
from __future__ import annotations

from typing import Iterable, Mapping

from crm_shared.config import service_url
from crm_shared.declaration import ServiceDeclaration, installed
from crm_shared.routes import API_PREFIX, declared_owners, owners, stream_paths
from crm_shared.routes import owner_of as _owner_of

__all__ = ["API_PREFIX", "OWNERS", "PUBLIC_PREFIXES", "STREAM_PATHS", "RouteTable", "declared_owners", "owner_of"]


def declared_public_prefixes(services: Iterable[ServiceDeclaration]) -> tuple[str, ...]:
    """Return the /api/v1 path prefixes the services declare readable without a token.

    A first segment (`task-feed`) opens everything under it, `/api/v1/task-feed/`; a longer path
    (`counters/stream`) opens that path and the paths below it, never a sibling such as
    `counters/stream-ticket` (`crm_shared.auth.is_public`). The owning service checks each
    request itself either way.
    """
    return tuple(f"{API_PREFIX}{route}" + ("" if "/" in route else "/")
                 for service in services for route in service.public_routes)


#: The first path segment after /api/v1/ and the service that owns it.
OWNERS: Mapping[str, str] = owners()
#: Paths the gateway passes on without a token: the owning service checks them itself.
PUBLIC_PREFIXES: tuple[str, ...] = declared_public_prefixes(installed())
#: The declared streams (server-sent events), each holding a gateway thread while open through it.
STREAM_PATHS: frozenset[str] = frozenset(stream_paths(installed()))


def owner_of(path: str) -> str | None:
    """Return the service owning an /api/v1 path, or None when no service does."""
    return _owner_of(path, OWNERS)


class RouteTable:
    """Map request paths to the base URL of the owning service."""

    def __init__(self, base_urls: Mapping[str, str]) -> None:
        self.base_urls = dict(base_urls)

    @classmethod
    def from_environ(cls, environ: Mapping[str, str]) -> "RouteTable":
        """Read every owning service's base URL (CRM_<SERVICE>_URL or the local default)."""
        return cls({service: service_url(service, environ) for service in set(OWNERS.values())})

    def resolve(self, path: str) -> tuple[str, str] | None:
        """Return (service, base URL) for a path, or None when no service owns it."""
        service = owner_of(path)
        return (service, self.base_urls[service]) if service else None
