"""The probe and metrics port of a relay or consumer: `/livez`, `/readyz` and `/metrics`.

Started when `CRM_PROBE_PORT` is set (the manifests use 9100). Port 0 binds a free port; with
`CRM_PROCESS_NAME` set, the chosen port is written to `<CRM_DATA_DIR>/run/<name>.port` so that
the suite runner and its tests can find it (`crm-suite run` with `CRM_PROBE_PORTS=auto`).
"""
from __future__ import annotations

import json
import logging
import os
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Callable, Mapping

from crm_shared import metrics

log = logging.getLogger(__name__)

PORT_ENV = "CRM_PROBE_PORT"
NAME_ENV = "CRM_PROCESS_NAME"

Readiness = Callable[[], None]
"""Returns when the process is ready; raises (with the reason) when it is not."""


class ProbeServer:
    """A small threaded HTTP server beside a worker loop; it never touches the loop's connections."""

    def __init__(self, port: int, readiness: Readiness, *, host: str = "127.0.0.1") -> None:
        self.readiness = readiness
        probe = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802  (the standard library's name)
                path = self.path.split("?", 1)[0]
                if path == "/livez":
                    self._answer(200, b'{"status":"ok"}', "application/json")
                elif path == "/readyz":
                    try:
                        probe.readiness()
                    except Exception as exc:  # any failing dependency means "not ready"
                        body = json.dumps({"type": "about:blank", "title": "Service Unavailable", "status": 503,
                                           "detail": f"Not ready: {exc}"[:500]}).encode()
                        self._answer(503, body, "application/problem+json")
                    else:
                        self._answer(200, b'{"status":"ready"}', "application/json")
                elif path == "/metrics":
                    body, content_type = metrics.exposition()
                    self._answer(200, body, content_type)
                else:
                    self._answer(404, b'{"type":"about:blank","title":"Not Found","status":404}',
                                 "application/problem+json")

            def _answer(self, status: int, body: bytes, content_type: str) -> None:
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:  # noqa: A002
                pass  # probes every few seconds would drown the process's own log

        self._server = ThreadingHTTPServer((host, port), Handler)
        self._server.daemon_threads = True
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, name="probes", daemon=True)

    def start(self) -> "ProbeServer":
        self._thread.start()
        return self

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()


def start_from_env(readiness: Readiness, environ: Mapping[str, str] | None = None) -> ProbeServer | None:
    """Start the probe server if CRM_PROBE_PORT is set; record its port for the suite runner."""
    env = os.environ if environ is None else environ
    if not env.get(PORT_ENV):
        return None
    server = ProbeServer(int(env[PORT_ENV]), readiness, host=env.get("CRM_PROBE_HOST")
                         or env.get("CRM_BIND_HOST", "127.0.0.1")).start()
    name = env.get(NAME_ENV)
    if name:
        run_dir = Path(env.get("CRM_DATA_DIR") or "./var").resolve() / "run"
        run_dir.mkdir(parents=True, exist_ok=True)
        partial = run_dir / f"{name}.port.partial"
        partial.write_text(str(server.port))
        partial.replace(run_dir / f"{name}.port")
    log.info("probes listening", extra={"port": server.port})
    return server
