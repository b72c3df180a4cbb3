"""What the export and registry views share: units of work for the caller, attachments."""
from __future__ import annotations

from typing import Callable
from urllib.parse import quote

from flask import Response, current_app

from crm_shared.auth import current_principal
from crm_shared.tabular import ExportFile
from crm_shared.web import request_id

from crm_contacts.service_layer.unit_of_work import ContactsUnitOfWork


def uows() -> Callable[[], ContactsUnitOfWork]:
    """Return a factory of units of work acting for the caller of this request."""
    factory = current_app.extensions["crm_contacts"]["uow_factory"]
    actor, correlation_id = current_principal().actor(), request_id()
    return lambda: factory(actor=actor, correlation_id=correlation_id)


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
