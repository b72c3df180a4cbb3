"""The deals service's composition root for HTTP."""
from __future__ import annotations

import sqlalchemy as sa
from flask import Flask

from crm_shared import auth, db
from crm_shared.config import Settings
from crm_shared.sessions import verifier_from_settings
from crm_shared.web import create_service_app

from crm_deals.api.deals import blp as deals_blp
from crm_deals.api.processes import processes_blp, sources_blp
from crm_deals.service_layer.unit_of_work import SERVICE, unit_of_work_factory


def create_app(settings: Settings | None = None, *, verifier: auth.TokenVerifier | None = None) -> Flask:
    """Build the deals app: engine, unit-of-work factory, token verifier, routes."""
    settings = settings or Settings.from_env(SERVICE)
    engine = db.create_engine(settings.database_url)
    verifier = verifier or verifier_from_settings(settings)

    def ready() -> None:
        with engine.connect() as connection:
            connection.execute(sa.text("SELECT 1"))

    app, _api = create_service_app(
        settings, title="CRM deals", blueprints=[deals_blp, processes_blp, sources_blp], verifier=verifier,
        readiness=ready,
    )
    app.extensions["crm_deals"] = {"uow_factory": unit_of_work_factory(engine), "engine": engine}
    return app
