"""GET/POST /api/v1/users and GET /api/v1/users/{id}."""
from __future__ import annotations

import functools
from typing import Any, Callable, TypeVar

from flask.views import MethodView
from flask_smorest import Blueprint

from crm_shared.auth import require_role

from crm_gateway.api.dependencies import dependencies
from crm_gateway.api.schemas import NewUserSchema, UserListSchema, UserSchema
from crm_gateway.identity import services
from crm_gateway.identity.domain import NewUser, User

blp = Blueprint("users", __name__, url_prefix="/api/v1/users", description="The users of the suite.")

View = TypeVar("View", bound=Callable[..., Any])


def admin_only(view: View) -> View:
    """Refuse non-admins before the body is even parsed (403 rather than 422)."""

    @functools.wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        require_role("admin")
        return view(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


@blp.route("")
class Users(MethodView):
    """The collection of users."""

    @blp.response(200, UserListSchema)
    def get(self) -> dict[str, list[User]]:
        """List every user."""
        return {"items": services.list_users(dependencies().uow())}

    @admin_only
    @blp.arguments(NewUserSchema)
    @blp.response(201, UserSchema)
    def post(self, new_user: NewUser) -> tuple[User, int, dict[str, str]]:
        """Create a user (admins only)."""
        deps = dependencies()
        user = services.register_user(deps.uow(), deps.passwords, new_user)
        return user, 201, {"Location": f"{blp.url_prefix}/{user.id}"}


@blp.route("/<string:user_id>")
class UserById(MethodView):
    """One user."""

    @blp.response(200, UserSchema)
    def get(self, user_id: str) -> User:
        """Return one user."""
        return services.get_user(dependencies().uow(), user_id)
