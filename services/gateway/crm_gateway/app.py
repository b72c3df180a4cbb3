"""The gateway's composition root for HTTP (gunicorn runs `crm_gateway.app:create_app()`)."""
from __future__ import annotations

import sqlalchemy as sa
from flask import Flask

from crm_shared import db
from crm_shared.config import Settings
from crm_shared.web import create_service_app

from crm_gateway import api
from crm_gateway.api.dependencies import Dependencies
from crm_gateway.api.auth import SESSION_PATH
from crm_gateway.api.edge import JWKS_PATH, register_jwks, register_proxy
from crm_gateway.config import GatewayConfig
from crm_gateway.identity.passwords import Passwords
from crm_gateway.identity.sessions import IdentitySessionCheck
from crm_gateway.identity.unit_of_work import unit_of_work_factory
from crm_gateway.keys import load_signing_key
from crm_gateway.proxy import Proxy
from crm_gateway.routes import PUBLIC_PREFIXES, RouteTable
from crm_gateway.tokens import TokenIssuer, own_verifier

SERVICE = "gateway"
#: the session path checks its token itself, afresh (see api.auth.Session)
PUBLIC_PATHS = ("/api/v1/auth/token", SESSION_PATH, JWKS_PATH)


#: connections kept for the gateway's own queries (the pool may open 10 more at a peak)
DB_POOL_SIZE = 4


def create_app(settings: Settings | None = None, *, passwords: Passwords | None = None) -> Flask:
    """Build the gateway: identity store, signing key, token verifier, own API and proxy."""
    settings = settings or Settings.from_env(SERVICE)
    config = GatewayConfig.from_settings(settings)
    key = load_signing_key(config.key_path)
    # the gateway's own queries (logins, sessions, users) are short: a few connections serve its threads
    engine = db.create_engine(settings.database_url, pool_size=min(config.threads, DB_POOL_SIZE))
    issuer = TokenIssuer(key, issuer=settings.token_issuer, audience=settings.token_audience,
                         ttl_seconds=config.token_ttl_seconds)
    uow = unit_of_work_factory(engine)
    verifier = own_verifier(key, issuer=settings.token_issuer, audience=settings.token_audience,
                            session_check=IdentitySessionCheck(uow))

    def ready() -> None:
        with engine.connect() as connection:
            connection.execute(sa.text("SELECT 1"))

    app, _api = create_service_app(
        settings, title="CRM gateway", blueprints=api.blueprints(), verifier=verifier,
        readiness=ready, public_paths=(*PUBLIC_PATHS, *PUBLIC_PREFIXES),
    )
    dependencies = Dependencies(
        uow=uow, passwords=passwords or Passwords(), issuer=issuer, verifier=verifier
    )
    dependencies.init_app(app)
    register_jwks(app, key)
    routes = RouteTable.from_environ(settings.extra)
    register_proxy(app, Proxy(routes, pool_size=config.threads, connect_timeout=config.connect_timeout,
                              read_timeout=config.read_timeout, max_streams=config.max_streams))
    return app
