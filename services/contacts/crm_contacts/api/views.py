"""What the export and registry views share: units of work for the caller, attachments."""
from __future__ import annotations

from urllib.parse import quote

from flask import Response

from crm_shared.service_app import uows
from crm_shared.tabular import ExportFile

__all__ = ["attachment", "uows"]


def attachment(export: ExportFile) -> Response:
    """Return the file as an attachment with an ASCII name and its UTF-8 name (RFC 6266)."""
    response = Response(export.chunks, mimetype=export.mimetype.split(";")[0],
                        content_type=export.mimetype)
    plain = export.filename.encode("ascii", "replace").decode().replace('"', "")
    response.headers["Content-Disposition"] = (
        f"attachment; filename=\"{plain}\"; filename*=UTF-8''{quote(export.filename)}"
    )
    response.headers["Cache-Control"] = "no-store"
    return response
