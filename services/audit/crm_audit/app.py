"""The audit service's HTTP composition root: `gunicorn "crm_audit.app:create_app()"`."""
from __future__ import annotations

import sqlalchemy as sa
from flask import Flask
from sqlalchemy.engine import Engine

from crm_audit.api.entries import create_blueprint
from crm_audit.queries import AuditQueries
from crm_shared import db
from crm_shared.auth import TokenVerifier
from crm_shared.config import Settings
from crm_shared.sessions import verifier_from_settings
from crm_shared.web import create_service_app


def create_app(
    settings: Settings | None = None,
    *,
    verifier: TokenVerifier | None = None,
    engine: Engine | None = None,
) -> Flask:
    """Build the app; engines and key clients are made here, in the worker, never at import."""
    settings = settings or Settings.from_env("audit")
    engine = engine or db.create_engine(settings.database_url, read_only=True)
    verifier = verifier or verifier_from_settings(settings)
    app, _api = create_service_app(
        settings,
        title="CRM audit log",
        blueprints=[create_blueprint(AuditQueries(engine))],
        verifier=verifier,
        readiness=lambda: _ping(engine),
    )
    return app


def _ping(engine: Engine) -> None:
    with engine.connect() as connection:
        connection.execute(sa.text("SELECT 1"))
