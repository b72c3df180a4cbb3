"""The two servers of line 6, each in its own process on uvicorn with the counters' server options.

- `counters DATABASE_URL PORT KEY_PEM`: the counters service's own ASGI app (`crm_counters.asgi`) on a
  migrated database of the run, trusting tokens signed by the bench's key (no gateway to ask);
- `bare DATABASE_URL PORT`: the baseline, the least a server can do for the same pushes — an ASGI app
  holding each user's streams, one loop reading a table of per-user versions every 0.25 s (the hub's
  interval) and writing each changed version to that user's streams. No tokens, counts or settings.
"""
from __future__ import annotations

import asyncio
import json
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import psycopg
import uvicorn
from cryptography.hazmat.primitives.serialization import load_pem_public_key

from crm_shared.auth import TokenVerifier
from crm_shared.cli import migrations_location
from crm_shared.config import Settings
from crm_shared.migrations import upgrade
from crm_shared.testing.tokens import AUDIENCE, ISSUER

POLL_SECONDS = 0.25
BARE_TABLE = ("CREATE TABLE IF NOT EXISTS bare_marks (user_id text PRIMARY KEY, version integer NOT NULL, "
              "changed_at timestamptz NOT NULL)")


def counters_app(database_url: str, key_pem: Path) -> Any:
    """Return the counters' ASGI app on a freshly migrated database."""
    from crm_counters.asgi import create_asgi
    from crm_counters.declaration import SERVICE

    upgrade(database_url, migrations_location(SERVICE), SERVICE.name)
    public = load_pem_public_key(key_pem.read_bytes())
    verifier = TokenVerifier(issuer=ISSUER, audience=AUDIENCE, key_resolver=lambda _token: public)
    settings = Settings.from_env(SERVICE.name, {"CRM_DATABASE_URL": database_url})
    return create_asgi(settings, verifier=verifier, people=object())


class BareStreams:
    """The baseline: per-user streams fed from a polled table of versions."""

    def __init__(self, dsn: str) -> None:
        self.dsn = dsn
        self.streams: dict[str, set[asyncio.Queue[bytes]]] = {}
        self.seen: dict[str, int] = {}
        self.executor = ThreadPoolExecutor(1)

    def _changed(self) -> list[tuple[str, int]]:
        with psycopg.connect(self.dsn, autocommit=True) as connection:
            return connection.execute("SELECT user_id, version FROM bare_marks "
                                      "WHERE changed_at >= now() - interval '10 seconds'").fetchall()

    async def loop(self) -> None:
        while True:
            await asyncio.sleep(POLL_SECONDS)
            rows = await asyncio.get_running_loop().run_in_executor(self.executor, self._changed)
            for user, version in rows:
                if self.seen.get(user) != version and user in self.streams:
                    self.seen[user] = version
                    chunk = f"event: counters\ndata: {json.dumps({'user_id': user, 'version': version})}\n\n"
                    for queue in self.streams[user]:
                        queue.put_nowait(chunk.encode())

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "lifespan":
            while (message := await receive())["type"] != "lifespan.shutdown":
                if message["type"] == "lifespan.startup":
                    with psycopg.connect(self.dsn, autocommit=True) as connection:
                        connection.execute(BARE_TABLE)
                    self.task = asyncio.get_running_loop().create_task(self.loop())
                    await send({"type": "lifespan.startup.complete"})
            await send({"type": "lifespan.shutdown.complete"})
            return
        user = (parse_qs(scope["query_string"].decode()).get("user") or ["?"])[0]
        queue: asyncio.Queue[bytes] = asyncio.Queue()
        self.streams.setdefault(user, set()).add(queue)
        await send({"type": "http.response.start", "status": 200,
                    "headers": [(b"content-type", b"text/event-stream")]})
        await send({"type": "http.response.body", "body": b"event: counters\ndata: {\"version\": 0}\n\n",
                    "more_body": True})
        gone = asyncio.get_running_loop().create_task(_disconnected(receive))
        try:
            while True:
                got = asyncio.get_running_loop().create_task(queue.get())
                done, _ = await asyncio.wait({got, gone}, return_when=asyncio.FIRST_COMPLETED)
                if gone in done:
                    got.cancel()
                    return
                await send({"type": "http.response.body", "body": got.result(), "more_body": True})
        finally:
            self.streams[user].discard(queue)


async def _disconnected(receive: Any) -> None:
    while (await receive())["type"] != "http.disconnect":
        pass


def main(argv: list[str]) -> None:
    from crm_counters.__main__ import SERVER_OPTIONS

    kind, database_url, port = argv[0], argv[1], int(argv[2])
    app = counters_app(database_url, Path(argv[3])) if kind == "counters" else \
        BareStreams(database_url.replace("postgresql+psycopg://", "postgresql://"))
    uvicorn.run(app, host="127.0.0.1", port=port, **SERVER_OPTIONS)


if __name__ == "__main__":
    main(sys.argv[1:])
