"""The record actions of a person or company: lock, validity, consents, security, merge, anonymize."""
from __future__ import annotations

import re
from typing import Any, Callable

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields

from crm_shared.auth import current_principal
from crm_shared.errors import ValidationFailed

from crm_contacts.api import schemas
from crm_contacts.api.common import present, uow
from crm_contacts.service_layer import actions
from crm_contacts.service_layer.merge import merge_contacts

PURPOSE = re.compile(r"[a-z0-9_-]{1,50}")

SIMPLE_ACTIONS: dict[str, Callable[..., Any]] = {
    "lock": actions.lock,
    "unlock": actions.unlock,
    "invalidate": actions.invalidate,
    "revalidate": actions.revalidate,
}


def add_record_actions(blp: Blueprint, kind: str, out_schema: type[Schema]) -> None:
    """Add `/{id}/lock|unlock|invalidate|revalidate|security|links|consents/{purpose}|merge` (and, for
    persons, `anonymize`) to a kind's blueprint."""
    for name, use_case in SIMPLE_ACTIONS.items():
        _simple_action(blp, kind, name, use_case, out_schema)
    merge_result = Schema.from_dict(
        {"dry_run": fields.Boolean(), "source_id": fields.String(), "target": fields.Nested(out_schema),
         "changes": fields.List(fields.Nested(schemas.ChangeSchema))},
        name=f"{kind.title()}MergeResult",
    )

    @blp.route("/<uuid:contact_id>/security")
    class Security(MethodView):
        @blp.response(200, schemas.SecuritySchema)
        def get(self, contact_id: Any) -> dict[str, Any]:
            """Who created and changed the record and when, its validity, lock, owner and visibility."""
            return actions.security_info(uow(), kind, str(contact_id), current_principal())

    @blp.route("/<uuid:contact_id>/links")
    class Links(MethodView):
        @blp.response(200, schemas.LinkListSchema)
        def get(self, contact_id: Any) -> dict[str, Any]:
            """The deals, tasks and interactions that link the record (as their events said)."""
            return {"items": actions.links(uow(), kind, str(contact_id), current_principal())}

    @blp.route("/<uuid:contact_id>/consents/<string:purpose>")
    class Consent(MethodView):
        @blp.arguments(schemas.ConsentInSchema)
        @blp.response(200, out_schema)
        def put(self, data: dict[str, Any], contact_id: Any, purpose: str) -> Any:
            """Grant or withdraw the consent for one purpose, with its source."""
            if not PURPOSE.fullmatch(purpose):
                raise ValidationFailed({"purpose": ["Use 1-50 lower-case letters, digits, - or _."]})
            contact = actions.set_consent(uow(), kind, str(contact_id), current_principal(), purpose,
                                          data["granted"], data["source"])
            return present(contact)

    @blp.route("/<uuid:contact_id>/merge")
    class Merge(MethodView):
        @blp.arguments(schemas.MergeInSchema)
        @blp.response(200, merge_result)
        def post(self, data: dict[str, Any], contact_id: Any) -> dict[str, Any]:
            """Merge another record of this kind into this one; `dry_run` only answers the result."""
            result = merge_contacts(uow(), kind, str(contact_id), data["source_id"], current_principal(),
                                    prefer_source=data["prefer_source"], dry_run=data["dry_run"])
            return {"dry_run": result.dry_run, "source_id": result.source_id, "target": result.contact.state(),
                    "changes": [change.as_dict() for change in result.changes]}

    if kind == "person":
        _simple_action(blp, kind, "anonymize", lambda u, _kind, cid, viewer: actions.anonymize(u, cid, viewer),
                       out_schema)


def _simple_action(
    blp: Blueprint, kind: str, name: str, use_case: Callable[..., Any], out_schema: type[Schema]
) -> None:
    def post(contact_id: Any) -> Any:
        return present(use_case(uow(), kind, str(contact_id), current_principal()))

    post.__name__ = f"{name}_{kind}"
    post.__doc__ = f"{name.title()} the {kind}; answers the record."
    blp.route(f"/<uuid:contact_id>/{name}", methods=["POST"], endpoint=f"{name}")(
        blp.response(200, out_schema)(post)
    )
