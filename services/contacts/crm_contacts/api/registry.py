"""`/api/v1/registry/companies` lookups, and a company's registry fill and search links."""
from __future__ import annotations

from typing import Any

from flask import request
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from crm_shared.auth import current_principal
from crm_shared.service_app import service_context

from crm_contacts.api import schemas
from crm_contacts.api.views import uows
from crm_contacts.context import ContactsContext
from crm_contacts.registry.base import Registry
from crm_contacts.service_layer import registry as use_cases
from crm_shared.preconditions import etag


class LookupArgsSchema(schemas.StrictSchema):
    ico = fields.String(validate=validate.Length(min=1, max=20))
    name = fields.String(validate=validate.Length(min=2, max=200))
    limit = fields.Integer(load_default=10, validate=validate.Range(min=1, max=100))

    @validates_schema
    def _one_of(self, data: dict[str, Any], **_: Any) -> None:
        if ("ico" in data) == ("name" in data):
            raise ValidationError("Give either ico or name.", field_name="ico")


class RegistryCompanySchema(Schema):
    registry = fields.String()
    reg_id = fields.String()
    name = fields.String()
    vat_id = fields.String(allow_none=True)
    address = fields.Nested(schemas.AddressSchema, allow_none=True)
    address_text = fields.String(allow_none=True)


class RegistryPageSchema(Schema):
    items = fields.List(fields.Nested(RegistryCompanySchema))


class FillSchema(schemas.StrictSchema):
    reg_id = fields.String(validate=validate.Length(min=1, max=20))


class SearchLinksSchema(Schema):
    firmy_cz = fields.String()
    google = fields.String()


def _registry() -> Registry:
    registry = service_context(ContactsContext).registry
    assert registry is not None
    return registry


def blueprints() -> list[Blueprint]:
    """Return the registry lookup and the company actions built on it."""
    lookup = Blueprint("registry", __name__, url_prefix="/api/v1/registry",
                       description="Companies in the business register (ARES).")
    company_actions = Blueprint("company-registry", f"{__name__}.companies", url_prefix="/api/v1/companies",
                                description="Register data and web searches for a company.")

    @lookup.route("/companies")
    class RegistryCompanies(MethodView):
        @lookup.arguments(LookupArgsSchema, location="query", unknown=None)
        @lookup.response(200, RegistryPageSchema)
        @lookup.alt_response(502, response="BAD_GATEWAY")
        @lookup.alt_response(504, response="GATEWAY_TIMEOUT")
        def get(self, args: dict[str, Any]) -> dict[str, Any]:
            """Find companies by IČO (checksum validated first) or by name."""
            if "ico" in args:
                return {"items": [use_cases.find_by_reg_id(_registry(), args["ico"]).as_dict()]}
            found = use_cases.find_by_name(_registry(), args["name"], limit=args["limit"])
            return {"items": [company.as_dict() for company in found]}

    @company_actions.route("/<uuid:company_id>/registry-fill")
    class RegistryFill(MethodView):
        @company_actions.arguments(FillSchema, required=False)
        @company_actions.response(200, schemas.CompanyOutSchema)
        @company_actions.alt_response(502, response="BAD_GATEWAY")
        @company_actions.alt_response(504, response="GATEWAY_TIMEOUT")
        def post(self, data: dict[str, Any] | None, company_id: Any) -> tuple[dict[str, Any], dict[str, str]]:
            """Copy the register's name, IČO, DIČ and address onto the company (the company's IČO unless given)."""
            company = use_cases.fill_from_registry(
                uows(), _registry(), str(company_id), current_principal(), reg_id=(data or {}).get("reg_id"),
                if_match=request.headers.get("If-Match"),
            )
            return company.state(), {"ETag": etag(company.version)}

    @company_actions.route("/<uuid:company_id>/search-links")
    class SearchLinks(MethodView):
        @company_actions.response(200, SearchLinksSchema)
        def get(self, company_id: Any) -> dict[str, str]:
            """Return URLs that search for the company on firmy.cz and Google."""
            return use_cases.company_search_links(uows(), str(company_id), current_principal())

    return [lookup, company_actions]
