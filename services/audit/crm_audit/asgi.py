"""The audit service as one ASGI app: the live tail served by asyncio, every other path by the Flask app.

`GET /api/v1/audit/stream` is a server-sent event stream of new entries that holds neither a
thread nor a database connection while open (see `crm_audit.live.tail`); the rest of the API is
the Flask app on a pool of threads (a2wsgi). uvicorn serves both on the service's one port. A
stream is opened with the bearer token or, from a browser, a single-use ticket (`POST /audit/stream-ticket`).
"""
from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from marshmallow import ValidationError

from crm_shared import auth
from crm_shared.config import Settings
from crm_shared.errors import Forbidden, ValidationFailed
from crm_shared.live import LiveServer, StreamRequest, on
from crm_shared.problems import flatten_validation_messages
from crm_shared.service_app import context_of
from crm_shared.sessions import verifier_from_settings
from crm_shared.stream_auth import Authenticate, stream_authenticator

from crm_audit.api.entries import entry_filter, entry_json
from crm_audit.api.schemas import AuditEntrySchema
from crm_audit.api.stream import TAIL_STREAM, TailQuery
from crm_audit.app import create_app
from crm_audit.context import AuditContext
from crm_audit.declaration import SERVICE
from crm_audit.domain.entries import EntryFilter
from crm_audit.live.tail import Tail, TailHub

STREAM_PATH = TAIL_STREAM.path
#: the largest id a stream hands out (a PostgreSQL bigint)
MAX_EVENT_ID = 2**63 - 1


class AuditServer(LiveServer):
    """The kit's live server with the audit tail: admins only (by token or ticket), the list's filters,
    resumable by Last-Event-ID."""

    def __init__(self, app: Any, hub: TailHub, authenticate: Authenticate,
                 executor: ThreadPoolExecutor, *, threads: int = 4, **options: Any) -> None:
        super().__init__(app, hub, STREAM_PATH, self._open, threads=threads,
                         unavailable="The audit log cannot be read right now; retry shortly.", service=SERVICE.name,
                         **options)
        self.tails = hub
        self.authenticate = authenticate
        self.executor = executor

    async def _open(self, request: StreamRequest) -> Tail:
        principal = await on(self.executor, self.authenticate, request.bearer(), request.ticket())
        if principal.role != "admin":
            raise Forbidden("This needs the role admin.")
        where, last_id = stream_arguments(request)
        return await self.tails.listen(where, last_id)


def stream_arguments(request: StreamRequest) -> tuple[EntryFilter, int | None]:
    """Return the stream's filters (those of `/audit/entries`) and the id it resumes after; 422 if invalid."""
    repeated = sorted(name for name, values in request.query.items() if len(values) > 1)
    if repeated:
        raise ValidationFailed({name: ["Give this filter once."] for name in repeated})
    try:
        query = TailQuery().load({name: values[0] for name, values in request.query.items()})
    except ValidationError as error:
        raise ValidationFailed(flatten_validation_messages(error.messages)) from None
    return entry_filter(query), last_event_id(request.headers.get("last-event-id"))


def last_event_id(value: str | None) -> int | None:
    """Read the Last-Event-ID header: an id this stream handed out, or none (blank is none)."""
    if value is None or not value.strip():
        return None
    text = value.strip()
    if not (text.isascii() and text.isdigit()) or len(text) > 19 or int(text) > MAX_EVENT_ID:
        raise ValidationFailed({"Last-Event-ID": ["Must be the id of an event of this stream."]})
    return int(text)


def create_asgi(settings: Settings | None = None, *, verifier: auth.TokenVerifier | None = None,
                poll_interval: float = 0.25) -> AuditServer:
    """Build the audit server: the Flask app and the tail hub, on one engine and one small pool of threads."""
    settings = settings or Settings.from_env(SERVICE.name)
    verifier = verifier or verifier_from_settings(settings)
    app = create_app(settings, verifier=verifier)
    context = context_of(app)
    assert isinstance(context, AuditContext) and context.queries is not None
    queries = context.queries
    threads = int(os.environ.get("CRM_WEB_THREADS") or 4)
    executor = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="audit-live")
    schema = AuditEntrySchema()
    hub = TailHub(queries.after, queries.last_seq, lambda entry: schema.dump(entry_json(entry)), executor,
                  poll_interval=poll_interval)
    return AuditServer(app, hub, stream_authenticator(verifier, context.tickets), executor, threads=threads)


__all__ = ["AuditServer", "STREAM_PATH", "create_asgi"]
