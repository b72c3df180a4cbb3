"""POST /api/v1/auth/token (log in) and GET /api/v1/auth/me."""
from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint

from crm_shared.auth import current_principal

from crm_gateway.api.dependencies import dependencies
from crm_gateway.api.schemas import LoginSchema, TokenSchema, UserSchema
from crm_gateway.identity import services
from crm_gateway.identity.domain import User
from crm_gateway.tokens import IssuedToken

blp = Blueprint("auth", __name__, url_prefix="/api/v1/auth", description="Log in and find out who you are.")

NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}


@blp.route("/token")
class Token(MethodView):
    """The token endpoint (public)."""

    @blp.arguments(LoginSchema)
    @blp.response(200, TokenSchema)
    def post(self, credentials: dict[str, Any]) -> tuple[IssuedToken, int, dict[str, str]]:
        """Exchange a username and password for an access token."""
        deps = dependencies()
        username, password = credentials["username"], credentials["password"]
        user = services.authenticate(deps.uow(), deps.passwords, username, password)
        return deps.issuer.issue(user, services.team_of(deps.uow(), user)), 200, NO_STORE


@blp.route("/me")
class Me(MethodView):
    """The caller's own user."""

    @blp.response(200, UserSchema)
    def get(self) -> User:
        """Return the user the token belongs to."""
        return services.get_user(dependencies().uow(), current_principal().id)
