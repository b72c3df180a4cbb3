"""The deals service's composition root for HTTP."""
from __future__ import annotations

from flask import Flask

from crm_shared import auth, service_app
from crm_shared.config import Settings

from crm_deals.api.deals import blp as deals_blp
from crm_deals.api.processes import processes_blp, sources_blp
from crm_deals.service_layer.unit_of_work import SERVICE, DealsUnitOfWork


def create_app(settings: Settings | None = None, *, verifier: auth.TokenVerifier | None = None) -> Flask:
    """Build the deals app: engine, unit-of-work factory, token verifier, routes."""
    return service_app.create_app(
        settings or Settings.from_env(SERVICE), title="CRM deals", verifier=verifier,
        blueprints=[deals_blp, processes_blp, sources_blp], unit_of_work=DealsUnitOfWork,
    )
