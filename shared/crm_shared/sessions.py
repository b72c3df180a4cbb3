"""The gateway's word on whether a token's user still exists and is active, for every service."""
from __future__ import annotations

import logging

from crm_shared.auth import Principal, TokenVerifier
from crm_shared.config import Settings, service_url
from crm_shared.errors import ServiceUnavailable
from crm_shared.gateway_client import GatewayClient

log = logging.getLogger(__name__)

SESSION_PATH = "/api/v1/auth/session"
#: the gateway's answers that mean "this token's user may not act"
REFUSED = frozenset({401, 403, 404})


class GatewaySessionCheck:
    """Ask the gateway's session endpoint about the caller's token (a SessionCheck)."""

    def __init__(self, client: GatewayClient) -> None:
        self.client = client

    def __call__(self, token: str, principal: Principal) -> bool:
        status, body = self.client.get(SESSION_PATH, token)
        if status == 200 and isinstance(body, dict):
            return body.get("active") is True and body.get("sub") == principal.id
        if status in REFUSED:
            return False
        log.warning("the gateway answered the session check with %s", status)
        raise ServiceUnavailable("The gateway cannot confirm the session right now; retry shortly.",
                                 headers={"Retry-After": "1"})


def gateway_url(settings: Settings) -> str:
    """Return the gateway's base URL as services reach it (CRM_GATEWAY_URL or the local default)."""
    return service_url("gateway", settings.extra)


def verifier_from_settings(settings: Settings) -> TokenVerifier:
    """Return a service's token verifier: the gateway's JWKS for signatures, its session check for users."""
    return TokenVerifier(
        issuer=settings.token_issuer, audience=settings.token_audience, jwks_url=settings.jwks_url,
        session_check=GatewaySessionCheck(GatewayClient(gateway_url(settings))),
    )
