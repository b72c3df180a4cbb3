"""What the OpenAPI document says of the live tail, `GET /api/v1/audit/stream` (served by `crm_audit.asgi`)."""
from __future__ import annotations

from marshmallow import fields

from crm_shared.api_docs import StreamDoc

from crm_audit.api.schemas import FilterQuery


class TailQuery(FilterQuery):
    """The list's filters, and how a browser opens the tail without an Authorization header."""

    ticket = fields.String(metadata={"description": "A single-use ticket from `POST /audit/stream-ticket`,"
                                                    " instead of the bearer token."})


TAIL_STREAM = StreamDoc(
    path="/api/v1/audit/stream",
    summary="Follow new entries live (admins only), with the list's filters.",
    description=(
        "Server-sent events: each new entry that matches the filters, in the order it was stored, as"
        " event `entry`. Its `id` resumes the stream with `Last-Event-ID` after a reconnect or a restart,"
        " with no gap and no repeat. Without `Last-Event-ID` the stream starts at the next entry."
        " Authenticate with the bearer token or a `ticket` (a browser's `EventSource` sends no header)."
    ),
    event="entry",
    data_schema="AuditEntry",
    tag="audit",
    query=TailQuery,
)
