"""`/api/v1/{persons|companies}/{id}/export.{vcf|pdf}` and `/api/v1/{persons|companies}/export.{vcf|xlsx|csv}`."""
from __future__ import annotations

from typing import Any

from flask import Response
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema

from crm_shared.auth import current_principal

from crm_contacts.domain.listing import ListQuery
from crm_contacts.api import schemas
from crm_contacts.api.views import attachment, uows
from crm_contacts.service_layer import exports as use_cases

_FILE_DOC = {"responses": {"200": {"description": "The file, as an attachment.",
                                   "content": {"application/octet-stream": {"schema": {"type": "string",
                                                                                       "format": "binary"}}}}}}


def export_blueprint(kind: str, path: str, list_args: type[Schema]) -> Blueprint:
    """Build the export routes of one kind of contact."""
    blp = Blueprint(f"{path}-exports", f"{__name__}.{path}", url_prefix=f"/api/v1/{path}",
                    description=f"{kind.title()} records as files.")
    bulk_args = list_args(exclude=("limit", "cursor"))

    @blp.route("/<uuid:contact_id>/export.<any(vcf, pdf):file_format>")
    class RecordExport(MethodView):
        @blp.doc(**_FILE_DOC)
        def get(self, contact_id: Any, file_format: str) -> Response:
            """Download one record as a vCard 4.0 (.vcf) or a PDF card; the export is an event."""
            return attachment(use_cases.export_contact(uows(), kind, str(contact_id), file_format,
                                                      current_principal()))

    @blp.route("/export.<any(vcf, xlsx, csv):file_format>")
    class ListExport(MethodView):
        @blp.arguments(bulk_args, location="query")
        @blp.doc(**_FILE_DOC)
        def get(self, args: dict[str, Any], file_format: str) -> Response:
            """Download the filtered list (the list's filters and sort) as one .vcf, .xlsx or .csv."""
            query = ListQuery(kind=kind, **args)
            return attachment(use_cases.export_list(uows(), query, file_format, current_principal()))

    return blp


def blueprints() -> list[Blueprint]:
    """Return the export blueprints of persons and companies."""
    return [
        export_blueprint("person", "persons", schemas.PersonListArgsSchema),
        export_blueprint("company", "companies", schemas.ListArgsSchema),
    ]
