"""The deals service's composition root for HTTP."""
from __future__ import annotations

from functools import partial

from flask import Flask

from crm_shared import auth, service_app
from crm_shared.config import Settings

from crm_deals.api.deals import blp as deals_blp
from crm_deals.api.processes import processes_blp, sources_blp
from crm_deals.context import DealsContext, UsersFor
from crm_deals.declaration import SERVICE
from crm_deals.service_layer.unit_of_work import DealsUnitOfWork


def create_app(settings: Settings | None = None, *, verifier: auth.TokenVerifier | None = None,
               users_for: UsersFor | None = None) -> Flask:
    """Build the deals app: engine, unit-of-work factory, token verifier, users, routes.

    `users_for(token)` is the directory owners are checked against (the gateway's users by default).
    """
    return service_app.create_app(
        settings or Settings.from_env(SERVICE.name), title="CRM deals", verifier=verifier,
        blueprints=[deals_blp, processes_blp, sources_blp], unit_of_work=DealsUnitOfWork,
        context=partial(DealsContext.build, users_for),
    )
