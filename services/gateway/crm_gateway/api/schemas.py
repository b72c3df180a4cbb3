"""Request and response shapes of the gateway's own API."""
from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields, post_load, validate

from crm_shared.schemas import StrictSchema, page_schema

from crm_gateway.identity.domain import MIN_PASSWORD_LENGTH, ROLES, NewUser, UserPatch

MAX_PASSWORD_LENGTH = 1024


class LoginSchema(StrictSchema):
    """The body of POST /auth/token."""

    username = fields.String(required=True, validate=validate.Length(min=1, max=150))
    password = fields.String(required=True, load_only=True, validate=validate.Length(max=MAX_PASSWORD_LENGTH))


class TokenSchema(Schema):
    """An issued access token."""

    access_token = fields.String(required=True)
    token_type = fields.String(required=True)
    expires_in = fields.Integer(required=True)


class UserSchema(Schema):
    """A user as the API shows it: never the password hash."""

    id = fields.String(required=True)
    username = fields.String(required=True)
    name = fields.String(required=True)
    email = fields.String(required=True)
    role = fields.String(required=True)
    manager_id = fields.String(allow_none=True)
    created_at = fields.DateTime(required=True)
    active = fields.Boolean(required=True)


#: one page of users under `items`, and the cursor of the next page
UserListSchema = page_schema(UserSchema)


class SessionSchema(Schema):
    """The gateway's answer about a token whose user may act."""

    active = fields.Boolean(required=True)
    sub = fields.String(required=True)
    username = fields.String(required=True)
    role = fields.String(required=True)


class NewUserSchema(StrictSchema):
    """The body of POST /users."""

    username = fields.String(
        required=True,
        validate=[
            validate.Length(min=1, max=150),
            validate.Regexp(r"^\S+$", error="Must not contain spaces."),
        ],
    )
    password = fields.String(
        required=True, load_only=True,
        validate=validate.Length(min=MIN_PASSWORD_LENGTH, max=MAX_PASSWORD_LENGTH),
    )
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    email = fields.Email(required=True, validate=validate.Length(max=320))
    role = fields.String(required=True, validate=validate.OneOf(ROLES))
    manager_id = fields.UUID(load_default=None, allow_none=True)

    @post_load
    def _new_user(self, data: dict[str, Any], **_kwargs: Any) -> NewUser:
        manager_id = data.pop("manager_id")
        return NewUser(**data, manager_id=str(manager_id) if manager_id else None)


class UserPatchSchema(StrictSchema):
    """The body of PATCH /users/{id}: any of these; the username never changes."""

    name = fields.String(validate=validate.Length(min=1, max=200))
    email = fields.Email(validate=validate.Length(max=320))
    role = fields.String(validate=validate.OneOf(ROLES))
    manager_id = fields.UUID(allow_none=True)
    active = fields.Boolean()
    password = fields.String(load_only=True, validate=validate.Length(min=MIN_PASSWORD_LENGTH, max=MAX_PASSWORD_LENGTH))

    @post_load
    def _patch(self, data: dict[str, Any], **_kwargs: Any) -> UserPatch:
        password = data.pop("password", None)
        if data.get("manager_id") is not None:
            data["manager_id"] = str(data["manager_id"])
        return UserPatch(values=data, password=password)
