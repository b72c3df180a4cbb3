"""`/api/v1/persons` and `/api/v1/companies`: one blueprint per kind, built the same way."""
from __future__ import annotations

from typing import Any

from flask import Response, request
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema

from crm_shared.auth import current_principal

from crm_contacts.domain.listing import ListQuery
from crm_contacts.api import schemas
from crm_contacts.api.actions import add_record_actions
from crm_contacts.api.common import present, uow, users
from crm_contacts.service_layer import contacts as use_cases
from crm_shared.preconditions import etag, matches


def contact_blueprint(
    kind: str, path: str, in_schema: type[Schema], out_schema: type[Schema], list_args: type[Schema]
) -> Blueprint:
    """Build the blueprint of one kind of contact."""
    blp = Blueprint(path, f"{__name__}.{path}", url_prefix=f"/api/v1/{path}", description=f"{kind.title()} records.")
    page = schemas.page_schema(out_schema)

    @blp.route("")
    class Collection(MethodView):
        @blp.arguments(list_args, location="query")
        @blp.response(200, page)
        def get(self, args: dict[str, Any]) -> dict[str, Any]:
            """List records, filtered and sorted, one keyset page at a time."""
            cursor = args.pop("cursor", None)
            items, next_cursor = use_cases.list_contacts(
                uow(), ListQuery(kind=kind, **args), cursor, current_principal()
            )
            return {"items": [item.state() for item in items], "next_cursor": next_cursor}

        @blp.arguments(in_schema)
        @blp.response(201, out_schema)
        def post(self, data: dict[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
            """Create a record."""
            contact = use_cases.create_contact(uow(), kind, data, users=users())
            state, headers = present(contact)
            return state, {**headers, "Location": contact.link}

    @blp.route("/<uuid:contact_id>")
    class Item(MethodView):
        @blp.response(200, out_schema)
        def get(self, contact_id: Any) -> Any:
            """Read a record; If-None-Match with its current ETag answers 304."""
            contact = use_cases.get_contact(uow(), kind, str(contact_id), current_principal())
            if matches(request.headers.get("If-None-Match"), contact.version):
                return Response(status=304, headers={"ETag": etag(contact.version)})
            return present(contact)

        @blp.arguments(in_schema(partial=True))
        @blp.response(200, out_schema)
        def patch(self, data: dict[str, Any], contact_id: Any) -> tuple[dict[str, Any], dict[str, str]]:
            """Change some fields; with If-Match, only if the record is still that version."""
            contact = use_cases.update_contact(
                uow(), kind, str(contact_id), data, current_principal(), if_match=request.headers.get("If-Match"),
                users=users(),
            )
            return present(contact)

        @blp.arguments(schemas.DeleteArgsSchema, location="query")
        @blp.response(204)
        def delete(self, args: dict[str, Any], contact_id: Any) -> None:
            """Delete a record for good (409 when links exist and cascade is not confirmed)."""
            use_cases.delete_contact(
                uow(), kind, str(contact_id), current_principal(), cascade=args["cascade"],
                if_match=request.headers.get("If-Match"),
            )

    add_record_actions(blp, kind, out_schema)
    return blp


def blueprints() -> list[Blueprint]:
    """Return the blueprints of persons and companies (with their record actions)."""
    return [
        contact_blueprint(
            "person", "persons", schemas.PersonInSchema, schemas.PersonOutSchema, schemas.PersonListArgsSchema
        ),
        contact_blueprint(
            "company", "companies", schemas.CompanyInSchema, schemas.CompanyOutSchema, schemas.ListArgsSchema
        ),
    ]
