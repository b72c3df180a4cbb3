"""The gateway's own session check: a token acts only while its user exists and is active."""
from __future__ import annotations

from crm_shared.auth import Principal

from crm_gateway.identity import services
from crm_gateway.identity.unit_of_work import UnitOfWorkFactory


class IdentitySessionCheck:
    """Ask the identity store about a token's user (a SessionCheck for the gateway's own verifier)."""

    def __init__(self, uow: UnitOfWorkFactory) -> None:
        self.uow = uow

    def __call__(self, _token: str, principal: Principal) -> bool:
        return services.active_user(self.uow(), principal.id) is not None
