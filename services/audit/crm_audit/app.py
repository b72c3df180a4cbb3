"""The audit service's HTTP composition root: `gunicorn "crm_audit.app:create_app()"`."""
from __future__ import annotations

from flask import Flask
from sqlalchemy.engine import Engine

from crm_shared import service_app
from crm_shared.auth import TokenVerifier
from crm_shared.config import Settings

from crm_audit.api.entries import create_blueprint
from crm_audit.api.stream import TAIL_STREAM
from crm_audit.context import AuditContext
from crm_audit.declaration import SERVICE


def create_app(
    settings: Settings | None = None,
    *,
    verifier: TokenVerifier | None = None,
    engine: Engine | None = None,
) -> Flask:
    """Build the app; engines and key clients are made here, in the worker, never at import."""
    return service_app.create_app(
        settings or Settings.from_env(SERVICE.name), title="CRM audit log", verifier=verifier, engine=engine,
        read_only=True, blueprints=[create_blueprint()], context=AuditContext.build,
        streams=[TAIL_STREAM],
    )
