"""What the OpenAPI document says of the live counters, `GET /api/v1/counters/stream` (served by `crm_counters.asgi`)."""
from __future__ import annotations

from marshmallow import Schema, fields

from crm_shared.api_docs import StreamDoc

from crm_counters.service_layer.tickets import STREAM_PATH


class StreamQuery(Schema):
    """How a browser opens the stream without an Authorization header."""

    ticket = fields.String(metadata={"description": "A single-use ticket from `POST /counters/stream-ticket`,"
                                                    " instead of the bearer token."})


COUNTERS_STREAM = StreamDoc(
    path=STREAM_PATH,
    summary="The caller's counters, live.",
    description=(
        "Server-sent events: event `counters` with the `/counters/me` body at connect and whenever a count"
        " changes, time-driven changes included. Authenticate with the bearer token or a `ticket`."
    ),
    event="counters",
    data_schema="Counters",
    tag="counters",
    query=StreamQuery,
)
