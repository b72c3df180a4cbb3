"""`POST /api/v1/persons/import`, `POST /api/v1/companies/import` and `GET /api/v1/imports/{id}`.

A dry run answers 200 with every row's outcome; an import answers 202 with the job and its
`Location`, and the contacts consumer process imports the rows in batches (`import_worker`).
"""
from __future__ import annotations

from typing import Any

from flask import jsonify, request
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields

from crm_shared.auth import current_principal
from crm_shared.schemas import CreatedOutSchema, StrictSchema
from crm_shared.service_app import service_context
from crm_shared.uploads import UploadSchema, read_limited, refuse_oversized_body

from crm_contacts.api import schemas
from crm_contacts.api.common import uow, users
from crm_contacts.api.import_rows import rows_of
from crm_contacts.context import ContactsContext
from crm_contacts.imports.reader import read_table
from crm_contacts.service_layer import imports as use_cases

blp = Blueprint("imports", __name__, url_prefix="/api/v1", description="Imports of persons and companies.")

KINDS = {"persons": ("person", schemas.PersonInSchema), "companies": ("company", schemas.CompanyInSchema)}


class ImportArgsSchema(StrictSchema):
    dry_run = fields.Boolean(load_default=False, metadata={"description": "Judge every row, write nothing."})


class RowOutcomeSchema(Schema):
    row = fields.Integer()
    action = fields.String(metadata={"description": "`create`, `skipped` (imported before) or `invalid`."})
    name = fields.String()
    errors = fields.Dict(keys=fields.String(), values=fields.List(fields.String()))


class InvalidRowSchema(Schema):
    row = fields.Integer()
    errors = fields.Dict(keys=fields.String(), values=fields.List(fields.String()))


class DryRunSchema(Schema):
    dry_run = fields.Boolean()
    total = fields.Integer()
    created = fields.Integer(metadata={"description": "Rows that would become records."})
    skipped = fields.Integer()
    invalid = fields.Integer()
    invalid_rows = fields.List(fields.Nested(InvalidRowSchema))
    rows = fields.List(fields.Nested(RowOutcomeSchema))


class ImportJobSchema(CreatedOutSchema):
    """An import of one file (created by whoever started it): how far it got and what it made of the rows."""

    kind = fields.String(metadata={"description": "`person` or `company`: what its rows become."})
    filename = fields.String(metadata={"description": "The name of the imported file."})
    status = fields.String(metadata={"description": "`pending`, `running` or `done`."})
    total = fields.Integer(metadata={"description": "Rows in the file."})
    processed = fields.Integer(metadata={"description": "Rows judged so far."})
    created = fields.Integer(metadata={"description": "Rows that became records."})
    skipped = fields.Integer(metadata={"description": "Rows imported before."})
    invalid = fields.Integer(metadata={"description": "Rows refused, each in `invalid_rows`."})
    error = fields.String(allow_none=True, metadata={"description": "Why it stopped before its last row, if it did."})
    updated_at = fields.String(metadata={"description": "When it last advanced (RFC 3339, UTC)."})
    invalid_rows = fields.List(fields.Nested(InvalidRowSchema))


def import_view(path: str) -> type[MethodView]:
    """Return the view importing records of one kind (`persons` or `companies`)."""
    kind, schema = KINDS[path]

    class Import(MethodView):
        @blp.arguments(ImportArgsSchema, location="query")
        @blp.arguments(UploadSchema, location="files")
        @blp.response(200, DryRunSchema)
        @blp.alt_response(202, schema=ImportJobSchema, description="The import job, followed at its Location.")
        def post(self, args: dict[str, Any], files: dict[str, Any]) -> Any:
            """Import records from a CSV or .xlsx file (field `file`); `dry_run=true` only judges the rows."""
            upload = files["file"]
            content = read_limited(upload.stream, service_context(ContactsContext).max_import_bytes)
            rows = rows_of(read_table(content, upload.filename or ""), schema())
            if args["dry_run"]:
                return use_cases.preview_import(uow(), kind, rows, users=users())
            job = use_cases.start_import(uow(), kind, upload.filename or "upload", rows, users=users())
            answer = jsonify(ImportJobSchema().dump({**job.summary(), "invalid_rows": []}))
            answer.status_code, answer.headers["Location"] = 202, job.link
            return answer

    Import.__name__ = f"Import{path.title()}"
    return Import


for _path in KINDS:
    blp.route(f"/{_path}/import", endpoint=f"import_{_path}")(import_view(_path))


@blp.route("/imports/<uuid:job_id>")
class Job(MethodView):
    @blp.response(200, ImportJobSchema)
    def get(self, job_id: Any) -> dict[str, Any]:
        """Read an import job's progress and invalid rows (its creator or an admin; 404 for anyone else)."""
        return use_cases.get_import(uow(), str(job_id), current_principal())


@blp.before_request
def _refuse_oversized() -> None:
    """Answer 413 before parsing an upload larger than the limit."""
    if request.method == "POST":
        refuse_oversized_body(service_context(ContactsContext).max_import_bytes)
