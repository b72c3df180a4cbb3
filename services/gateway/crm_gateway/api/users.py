"""GET/POST /api/v1/users and GET/PATCH /api/v1/users/{id}."""
from __future__ import annotations

import functools
from typing import Any, Callable, TypeVar

from flask.views import MethodView
from flask_smorest import Blueprint

from crm_shared.auth import current_principal, require_role
from crm_shared.schemas import PageArgsSchema
from crm_shared.web import request_id

from crm_gateway.api.dependencies import dependencies
from crm_gateway.api.schemas import (
    NewUserSchema, UserListSchema, UserPatchSchema, UserSchema,
)
from crm_gateway.identity import administration, services
from crm_gateway.identity.domain import NewUser, User, UserPatch
from crm_gateway.identity.unit_of_work import IdentityUnitOfWork

blp = Blueprint("users", __name__, url_prefix="/api/v1/users", description="The users of the suite.")

View = TypeVar("View", bound=Callable[..., Any])


def admin_only(view: View) -> View:
    """Refuse non-admins before the body is even parsed (403 rather than 422)."""

    @functools.wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        require_role("admin")
        return view(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


def acting_uow() -> IdentityUnitOfWork:
    """Return a unit of work whose events name the caller and this request."""
    return dependencies().uow(actor=current_principal().actor(), correlation_id=request_id())


@blp.route("")
class Users(MethodView):
    """The collection of users."""

    @blp.arguments(PageArgsSchema, location="query")
    @blp.response(200, UserListSchema)
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """List the users by username, a page at a time (`limit`, `cursor`)."""
        items, next_cursor = administration.list_page(dependencies().uow(), args["limit"], args.get("cursor"))
        return {"items": items, "next_cursor": next_cursor}

    @admin_only
    @blp.arguments(NewUserSchema)
    @blp.response(201, UserSchema)
    def post(self, new_user: NewUser) -> tuple[User, int, dict[str, str]]:
        """Create a user (admins only)."""
        deps = dependencies()
        user = services.register_user(acting_uow(), deps.passwords, new_user)
        return user, 201, {"Location": f"{blp.url_prefix}/{user.id}"}


@blp.route("/<string:user_id>")
class UserById(MethodView):
    """One user."""

    @blp.response(200, UserSchema)
    def get(self, user_id: str) -> User:
        """Return one user."""
        return services.get_user(dependencies().uow(), user_id)

    @admin_only
    @blp.arguments(UserPatchSchema)
    @blp.response(200, UserSchema)
    def patch(self, patch: UserPatch, user_id: str) -> User:
        """Change a user's name, email, role, manager, password or whether they are active (admins only)."""
        return administration.update_user(acting_uow(), dependencies().passwords, user_id, patch)
