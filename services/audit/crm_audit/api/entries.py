"""HTTP endpoints of the audit log, for admins only: list, one entry, an object's history, export, restore,
and the tickets that open the live tail from a browser."""
from __future__ import annotations

from typing import Any

from flask import Response, request
from flask.views import MethodView
from flask_smorest import Blueprint

from crm_audit.api.schemas import (
    AuditEntryPageSchema, AuditEntrySchema, ExportQuery, ListQuery, RestoredSchema, RestoreIn,
)
from crm_audit.api.stream import TAIL_STREAM
from crm_audit.domain.entries import AuditEntry, EntryFilter
from crm_audit.context import AuditContext
from crm_audit.queries import AuditQueries, Page
from crm_audit.restoring import Caller, restore_field
from crm_shared.api_docs import PROBLEM_JSON, ProblemSchema
from crm_shared.auth import current_principal, require_role
from crm_shared.schemas import PageArgsSchema, StreamTicketSchema
from crm_shared.service_app import service_context
from crm_shared.stream_tickets import issue_ticket
from crm_shared.types import utcnow
from crm_shared.visibility import viewer_of
from crm_shared.web import request_id

_EXPORT_DOC = {
    "responses": {
        "200": {
            "description": "The filtered log, one row per changed field, as an attachment.",
            "content": {
                "text/csv": {"schema": {"type": "string"}},
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {
                    "schema": {"type": "string", "format": "binary"}
                },
            },
        }
    }
}


# webargs drops unknown query parameters by default; None lets the schemas' RAISE answer 422.
_QUERY = {"location": "query", "unknown": None}


def _queries() -> AuditQueries:
    """Return the read use cases of the current app (its context holds them)."""
    queries = service_context(AuditContext).queries
    assert queries is not None
    return queries


def create_blueprint() -> Blueprint:
    """Build the audit blueprint; its views reach the read use cases through the app's context."""
    blp = Blueprint(
        "audit", __name__, url_prefix="/api/v1/audit",
        description="The change log (admins only); new entries live as server-sent events at `GET /audit/stream`.",
    )

    @blp.before_request
    def _admins_only() -> None:
        require_role("admin")

    @blp.route("/entries")
    class Entries(MethodView):
        @blp.arguments(ListQuery, **_QUERY)
        @blp.response(200, AuditEntryPageSchema)
        def get(self, query: dict[str, Any]) -> dict[str, Any]:
            """List entries newest first, filtered, a page at a time."""
            page = _queries().page(entry_filter(query), limit=query["limit"], cursor=query.get("cursor"))
            return page_json(page)

    @blp.route("/entries/export")
    class Export(MethodView):
        @blp.arguments(ExportQuery, **_QUERY)
        @blp.doc(**_EXPORT_DOC)
        def get(self, query: dict[str, Any]) -> Response:
            """Download the filtered log as .xlsx or .csv."""
            export = _queries().export(entry_filter(query), query["format"])
            response = Response(export.chunks, content_type=export.mimetype)
            response.headers["Content-Disposition"] = f'attachment; filename="{export.filename}"'
            response.headers["Cache-Control"] = "no-store"
            return response

    @blp.route("/entries/<string:entry_id>")
    class Entry(MethodView):
        @blp.response(200, AuditEntrySchema)
        def get(self, entry_id: str) -> dict[str, Any]:
            """Return one entry."""
            return entry_json(_queries().entry(entry_id))

    @blp.route("/entries/<string:entry_id>/restore")
    class Restore(MethodView):
        @blp.arguments(RestoreIn)
        @blp.response(200, RestoredSchema)
        @_problem(blp, 404, "No such entry, or its record is missing or hidden from the caller.")
        @_problem(blp, 409, "The value was changed since the entry (the problem says what it is now), "
                            "or the entry has nothing to put back.")
        @_problem(blp, 422, "`field` is not a restorable field of the entry's record, or the record's "
                            "service refused the value.")
        @_problem(blp, 423, "The record is locked; nothing changed.")
        @_problem(blp, 502, "The record's service gave no valid answer.")
        @_problem(blp, 503, "The record's service is unavailable.")
        @_problem(blp, 504, "The record's service did not answer in time.")
        def post(self, body: dict[str, Any], entry_id: str) -> dict[str, Any]:
            """Put the entry's `before` value of one field back through the record's own service, as a new
            audited change (its entry's `restored_from` is this entry)."""
            context = service_context(AuditContext)
            assert context.owners is not None
            caller = Caller(request.headers.get("Authorization", ""), request_id())
            restored = restore_field(_queries(), context.owners, entry_id, body["field"], caller)
            return vars(restored)

    @blp.route("/objects/<string:object_type>/<string:object_id>/history")
    class History(MethodView):
        @blp.arguments(PageArgsSchema, **_QUERY)
        @blp.response(200, AuditEntryPageSchema)
        def get(self, query: dict[str, Any], object_type: str, object_id: str) -> dict[str, Any]:
            """Return every change of one object, newest first, a page at a time."""
            where = EntryFilter(object_type=object_type, object_id=object_id)
            return page_json(_queries().page(where, limit=query["limit"], cursor=query.get("cursor")))

    @blp.route("/stream-ticket")
    class StreamTicket(MethodView):
        @blp.response(201, StreamTicketSchema)
        def post(self) -> dict[str, Any]:
            """Issue a single-use ticket to open the live tail without a header, valid for a minute.

            A browser's `EventSource` sends no Authorization header: it opens `stream`
            (`/api/v1/audit/stream?ticket=…`) instead, with the list's filters beside the ticket.
            """
            tickets = service_context(AuditContext).tickets()
            return issue_ticket(tickets, viewer_of(current_principal()), utcnow(), TAIL_STREAM.path)

    return blp


def _problem(blp: Blueprint, status: int, description: str) -> Any:
    """Declare one problem answer of an operation with what it means there."""
    return blp.alt_response(status, schema=ProblemSchema, description=description, content_type=PROBLEM_JSON)


def entry_filter(query: dict[str, Any]) -> EntryFilter:
    """Turn the parsed filter parameters into the list's filter."""
    return EntryFilter(
        occurred_from=query.get("from_"),
        occurred_to=query.get("to"),
        user_id=query.get("user_id"),
        object_type=query.get("object_type"),
        object_id=query.get("object_id"),
        operation=query.get("operation"),
    )


def page_json(page: Page) -> dict[str, Any]:
    """Return the answer of a list call."""
    return {"items": [entry_json(entry) for entry in page.items], "next_cursor": page.next_cursor}


def entry_json(entry: AuditEntry) -> dict[str, Any]:
    """Return an entry in the shape of contract.md, plus its channel and the correlation id (the
    request id that caused it: one request's entries share it, and it names the request in the logs)."""
    return {
        "id": entry.id,
        "occurred_at": entry.occurred_at,
        "user": {"id": entry.user_id, "name": entry.user_name},
        "object_type": entry.object_type,
        "object_id": entry.object_id,
        "object_name": entry.object_name,
        "object_link": entry.object_link,
        "operation": entry.operation,
        "changes": entry.changes,
        "channel": entry.channel,
        "correlation_id": entry.correlation_id,
        "restored_from": entry.restored_from,
    }
