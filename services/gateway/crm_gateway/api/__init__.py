"""The gateway's own HTTP API: login, the current user, user management, JWKS, the proxy."""
from __future__ import annotations

import flask_smorest

from crm_gateway.api import auth, users


def blueprints() -> list[flask_smorest.Blueprint]:
    """Return the gateway's smorest blueprints."""
    return [auth.blp, users.blp]
