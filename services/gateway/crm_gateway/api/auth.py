"""POST /api/v1/auth/token (log in), GET /api/v1/auth/me and GET /api/v1/auth/session."""
from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint

from crm_shared.auth import INVALID_TOKEN, bearer_token, current_principal
from crm_shared.problems import Unauthorized
from crm_shared.web import request_id

from crm_gateway.api.dependencies import dependencies
from crm_gateway.api.schemas import LoginSchema, SessionSchema, TokenSchema, UserSchema
from crm_gateway.identity import services
from crm_gateway.identity.domain import User
from crm_gateway.tokens import IssuedToken

blp = Blueprint("auth", __name__, url_prefix="/api/v1/auth", description="Log in and find out who you are.")

NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}
SESSION_PATH = "/api/v1/auth/session"


@blp.route("/token")
class Token(MethodView):
    """The token endpoint (public)."""

    @blp.arguments(LoginSchema)
    @blp.response(200, TokenSchema)
    def post(self, credentials: dict[str, Any]) -> tuple[IssuedToken, int, dict[str, str]]:
        """Exchange a username and password for an access token."""
        deps = dependencies()
        username, password = credentials["username"], credentials["password"]
        user = services.authenticate(deps.uow(correlation_id=request_id()), deps.passwords, username, password)
        return deps.issuer.issue(user, services.team_of(deps.uow(), user)), 200, NO_STORE


@blp.route("/me")
class Me(MethodView):
    """The caller's own user."""

    @blp.response(200, UserSchema)
    def get(self) -> User:
        """Return the user the token belongs to."""
        return services.get_user(dependencies().uow(), current_principal().id)


@blp.route("/session")
class Session(MethodView):
    """Whether the caller's token may still act: what every service asks before trusting a token."""

    @blp.response(200, SessionSchema)
    def get(self) -> tuple[dict[str, object], int, dict[str, str]]:
        """Answer 200 for a valid token of an existing, active user, 401 for any other token."""
        # A public path: the answer is read from the store on every call, never from the
        # verifier's memory, so a service's own short memory is the only delay it adds.
        deps = dependencies()
        principal = deps.verifier.verify_signature(bearer_token())
        user = services.active_user(deps.uow(), principal.id)
        if user is None:
            raise Unauthorized(INVALID_TOKEN)
        body = {"active": True, "sub": user.id, "username": user.username, "role": user.role}
        return body, 200, NO_STORE
