"""`/api/v1/attachments`: upload (multipart, field `file`) and download, never served inline."""
from __future__ import annotations

from typing import Any

from flask import Response, request, send_file
from flask.views import MethodView
from flask_smorest import Blueprint

from crm_shared.service_app import service_context, uow
from crm_shared.uploads import UploadSchema, refuse_oversized_body

from crm_interactions.api import schemas
from crm_interactions.context import InteractionsContext
from crm_interactions.service_layer import attachments as use_cases

blp = Blueprint("attachments", __name__, url_prefix="/api/v1/attachments", description="Attachments.")


@blp.route("")
class Upload(MethodView):
    @blp.arguments(UploadSchema, location="files")
    @blp.response(201, schemas.AttachmentOutSchema)
    def post(self, files: dict[str, Any]) -> dict[str, Any]:
        """Upload a file (field `file`); stored by its SHA-256 outside the database; too large → 413."""
        upload = files["file"]
        store = service_context(InteractionsContext).files
        return use_cases.upload(uow(), store, upload.stream, upload.filename, upload.mimetype).state()


@blp.before_request
def _refuse_oversized() -> None:
    """Answer 413 before parsing a body larger than the limit, having read it, so the answer is read."""
    if request.method == "POST":
        refuse_oversized_body(service_context(InteractionsContext).files.max_bytes)


@blp.route("/<uuid:attachment_id>")
class Download(MethodView):
    @blp.response(200, content_type="application/octet-stream")
    def get(self, attachment_id: Any) -> Response:
        """Download an attachment the caller may read, always as a download (`Content-Disposition: attachment`)."""
        attachment, path = use_cases.readable(uow(), service_context(InteractionsContext).files, str(attachment_id))
        response = send_file(path, mimetype=attachment.content_type, as_attachment=True,
                             download_name=attachment.filename, conditional=False, etag=False)
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
        response.headers["Cache-Control"] = "private, no-store"
        return response
