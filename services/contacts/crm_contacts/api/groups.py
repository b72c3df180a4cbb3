"""`/api/v1/groups`: groups (segments) and their members."""
from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields

from crm_shared.auth import current_principal
from crm_shared.schemas import PageArgsSchema, page_schema

from crm_contacts.api import schemas
from crm_contacts.api.common import present, uow
from crm_contacts.service_layer import groups as use_cases

blp = Blueprint("groups", __name__, url_prefix="/api/v1/groups", description="Groups (segments) of contacts.")

GroupList = page_schema(schemas.GroupOutSchema)
MemberList = Schema.from_dict({"items": fields.List(fields.Dict())}, name="GroupMemberList")


@blp.route("")
class Groups(MethodView):
    @blp.arguments(PageArgsSchema, location="query")
    @blp.response(200, GroupList)
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """List the groups by name, a page at a time."""
        items, next_cursor = use_cases.list_groups(uow(), limit=args["limit"], cursor=args.get("cursor"))
        return {"items": [group.state() for group in items], "next_cursor": next_cursor}

    @blp.arguments(schemas.GroupInSchema)
    @blp.response(201, schemas.GroupOutSchema)
    def post(self, data: dict[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
        """Create a group."""
        group = use_cases.create_group(uow(), data)
        return group.state(), {"Location": group.link}


@blp.route("/<uuid:group_id>")
class Group(MethodView):
    @blp.response(200, schemas.GroupOutSchema)
    def get(self, group_id: Any) -> dict[str, Any]:
        """Read a group."""
        return use_cases.get_group(uow(), str(group_id)).state()

    @blp.arguments(schemas.GroupInSchema(partial=True))
    @blp.response(200, schemas.GroupOutSchema)
    def patch(self, data: dict[str, Any], group_id: Any) -> dict[str, Any]:
        """Rename a group or change its description."""
        return use_cases.update_group(uow(), str(group_id), data).state()

    @blp.response(204)
    def delete(self, group_id: Any) -> None:
        """Delete a group; its members leave it (each an update of the contact)."""
        use_cases.delete_group(uow(), str(group_id))


@blp.route("/<uuid:group_id>/members")
class Members(MethodView):
    @blp.response(200, MemberList)
    def get(self, group_id: Any) -> dict[str, Any]:
        """List the members of a group that the caller may see."""
        return {"items": [c.state() for c in use_cases.members(uow(), str(group_id), current_principal())]}

    @blp.arguments(schemas.MemberInSchema)
    @blp.response(200)
    def post(self, data: dict[str, Any], group_id: Any) -> Any:
        """Add a person or company to the group (an update of the contact's `groups`)."""
        contact = use_cases.set_membership(uow(), str(group_id), data["kind"], data["id"], current_principal(),
                                           member=True)
        return present(contact)


@blp.route("/<uuid:group_id>/members/<any(person,company):kind>/<uuid:contact_id>")
class Member(MethodView):
    @blp.response(204)
    def delete(self, group_id: Any, kind: str, contact_id: Any) -> None:
        """Remove a person or company from the group."""
        use_cases.set_membership(uow(), str(group_id), kind, str(contact_id), current_principal(), member=False)
