"""The counters service's composition root for HTTP (the Flask app; `crm_counters.asgi` serves it with the streams)."""
from __future__ import annotations

from functools import partial
from typing import Any

from flask import Flask

from crm_shared import auth, service_app
from crm_shared.config import Settings

from crm_counters.api.counters import blp
from crm_counters.api.stream import COUNTERS_STREAM
from crm_counters.context import CountersContext
from crm_counters.declaration import SERVICE
from crm_counters.service_layer.unit_of_work import CountersUnitOfWork


def create_app(settings: Settings | None = None, *, verifier: auth.TokenVerifier | None = None,
               people: Any = None) -> Flask:
    """Build the counters app: engine (a small pool), unit-of-work factory, token verifier, users, routes."""
    return service_app.create_app(
        settings or Settings.from_env(SERVICE.name), title="CRM counters", verifier=verifier, blueprints=[blp],
        unit_of_work=CountersUnitOfWork, context=partial(CountersContext.build, people),
        streams=[COUNTERS_STREAM],
    )
