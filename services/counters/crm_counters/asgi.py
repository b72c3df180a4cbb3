"""The counters service as one ASGI app: the live stream served by asyncio, every other path by the Flask app.

`GET /api/v1/counters/stream` is a server-sent event stream that holds neither a thread nor a
database connection while open (see `crm_counters.live.hub`); the rest of the API is the Flask app
run on a pool of threads (a2wsgi). uvicorn serves both on the service's one port.
"""
from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from crm_shared import auth
from crm_shared.config import Settings
from crm_shared.live import HEALTH_PATH, MAX_STREAM_SECONDS, LiveServer, StreamRequest, on
from crm_shared.service_app import context_of
from crm_shared.sessions import verifier_from_settings
from crm_shared.stream_auth import Authenticate, stream_authenticator
from crm_shared.types import utcnow

from crm_counters.api.stream import COUNTERS_STREAM
from crm_counters.app import create_app
from crm_counters.live.hub import Hub, Listener
from crm_counters.service_layer.counting import live_counts, marks_of
from crm_counters.declaration import SERVICE

STREAM_PATH = COUNTERS_STREAM.path


class CountersServer(LiveServer):
    """The kit's live server with the counters' hub: a stream opened by a bearer token or a ticket."""

    def __init__(self, app: Any, hub: Hub, authenticate: Authenticate,
                 executor: ThreadPoolExecutor, *, threads: int = 4, keep_alive: float | None = None,
                 max_seconds: float = MAX_STREAM_SECONDS) -> None:
        super().__init__(app, hub, STREAM_PATH, self._open, threads=threads, keep_alive=keep_alive,
                         max_seconds=max_seconds, unavailable="The counters cannot be read right now; retry shortly.",
                         service=SERVICE.name)
        self.authenticate = authenticate
        self.executor = executor

    async def _open(self, request: StreamRequest) -> Listener:
        caller = await on(self.executor, self.authenticate, request.bearer(), request.ticket())
        assert isinstance(self.hub, Hub)
        return await self.hub.listen(caller.id)


def create_asgi(settings: Settings | None = None, *, verifier: auth.TokenVerifier | None = None,
                people: Any = None) -> CountersServer:
    """Build the counters server: the Flask app, the hub and their pools, on one engine."""
    settings = settings or Settings.from_env(SERVICE.name)
    verifier = verifier or verifier_from_settings(settings)
    app = create_app(settings, verifier=verifier, people=people)
    context = context_of(app)
    threads = int(os.environ.get("CRM_WEB_THREADS") or 4)
    executor = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="counters-live")
    hub = Hub(compute=lambda user_id: live_counts(context.uow_factory(), user_id, utcnow()),
              marks_of=lambda users: marks_of(context.uow_factory(), users), executor=executor,
              clock=utcnow)
    return CountersServer(app, hub, stream_authenticator(verifier, context.uow_factory), executor, threads=threads)


__all__ = ["CountersServer", "HEALTH_PATH", "STREAM_PATH", "create_asgi"]
