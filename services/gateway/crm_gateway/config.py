"""The gateway's own settings, read once from the environment at the composition root."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from crm_shared.config import Settings

from crm_gateway.keys import key_path
from crm_gateway.stream_slots import stream_limit
from crm_gateway.tokens import DEFAULT_TTL_SECONDS

CONNECT_TIMEOUT_SECONDS = 2.0


@dataclass(frozen=True)
class GatewayConfig:
    """Token lifetime, signing key location, upstream timeouts, the worker's thread count and how many
    of those threads streams may hold."""

    key_path: Path
    token_ttl_seconds: int = DEFAULT_TTL_SECONDS
    connect_timeout: float = CONNECT_TIMEOUT_SECONDS
    read_timeout: float = 30.0
    threads: int = 16
    max_streams: int = 8

    @classmethod
    def from_settings(cls, settings: Settings) -> "GatewayConfig":
        """Read CRM_TOKEN_TTL_SECONDS, CRM_UPSTREAM_TIMEOUT, CRM_WEB_THREADS, CRM_GATEWAY_MAX_STREAMS
        and the key path."""
        env = settings.extra
        threads = int(env.get("CRM_WEB_THREADS") or 16)
        return cls(
            key_path=key_path(settings),
            token_ttl_seconds=int(env.get("CRM_TOKEN_TTL_SECONDS") or DEFAULT_TTL_SECONDS),
            read_timeout=float(env.get("CRM_UPSTREAM_TIMEOUT") or 30.0),
            threads=threads,
            max_streams=stream_limit(threads, env.get("CRM_GATEWAY_MAX_STREAMS")),
        )
