"""The unit of work of the current request: the caller as actor and as viewer."""
from __future__ import annotations

from flask import current_app

from crm_shared.auth import Principal, current_principal
from crm_shared.web import request_id

from crm_deals.adapters.repository import Viewer
from crm_deals.service_layer.unit_of_work import DealsUnitOfWork


def uow() -> DealsUnitOfWork:
    """Return a fresh unit of work acting and seeing as the caller."""
    principal = current_principal()
    factory = current_app.extensions["crm_deals"]["uow_factory"]
    return factory(
        actor=principal.actor(), correlation_id=request_id(),
        viewer=viewer_of(principal),
    )


def viewer_of(principal: Principal) -> Viewer:
    """Return whose deals the caller sees: all (admin), theirs and their team's (manager), theirs (user)."""
    if principal.is_admin:
        return Viewer(principal.id)
    team = principal.team if principal.role == "manager" else ()
    return Viewer(principal.id, owners=(principal.id, *team))
