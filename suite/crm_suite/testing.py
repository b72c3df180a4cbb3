"""The whole suite started as separate processes for end-to-end tests, and a client for it."""
from __future__ import annotations

import itertools
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any, Mapping

import requests
import sqlalchemy as sa

from crm_shared import db
from crm_shared.config import SERVICES
from crm_shared.testing import servers
from crm_shared.testing.fixtures import wait_until as wait_for  # noqa: F401  (re-exported for the suite tests)

ADMIN_PASSWORD = "admin-secret-password"
#: the password of the users tests create (`RunningSuite.new_user`)
USER_PASSWORD = "a-long-enough-password"
_numbers = itertools.count()
#: the fields naming another service's record, refused until its event arrived (`Client.created_linking`)
REFERENCE_FIELDS = ("links.", "target", "contact")


def free_port() -> int:
    """Return a TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class RunningSuite:
    """`crm-suite run` in a child process, on its own ports, data folder, databases and vhost."""

    def __init__(self, data_dir: Path, *, distributed: bool, extra_env: Mapping[str, str] | None = None) -> None:
        self.data_dir = data_dir
        self.distributed = distributed
        self.ports = {service: free_port() for service in SERVICES}
        self.env = {**os.environ, "CRM_DATA_DIR": str(data_dir), "CRM_ADMIN_PASSWORD": ADMIN_PASSWORD,
                    "CRM_PROBE_PORTS": "auto",
                    # streams a test closed are let go of within two seconds, not ten
                    "CRM_STREAM_KEEP_ALIVE_SECONDS": "1", **(extra_env or {})}
        self.env.update({f"CRM_{s.upper()}_PORT": str(p) for s, p in self.ports.items()})
        self.env.pop("CRM_DATABASE_URL", None)
        self.env.pop("CRM_BROKER_URL", None)
        self.vhost = ""
        if distributed:
            run = uuid.uuid4().hex[:6]
            self.vhost = f"crm-e2e-{servers.RUN_ID}-{run}"
            self.env["CRM_DATABASE_URL"] = servers.database_url(f"{run}_{{service}}")
            self.env["CRM_BROKER_URL"] = servers.amqp_vhost_url(self.vhost)
        self.process: subprocess.Popen[bytes] | None = None
        self.log_path = data_dir / "suite.log"

    @property
    def gateway(self) -> str:
        return f"http://127.0.0.1:{self.ports['gateway']}"

    def url(self, service: str) -> str:
        """Return the base URL of one service, bypassing the gateway."""
        return f"http://127.0.0.1:{self.ports[service]}"

    def start(self, timeout: float = 180.0) -> None:
        """Start the suite and wait until the gateway logs users in."""
        if self.distributed:
            servers.create_vhost(self.vhost)
        self.data_dir.mkdir(parents=True, exist_ok=True)
        log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "crm_suite.cli", "run"], env=self.env, stdout=log, stderr=log,
            start_new_session=True,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the suite exited with {self.process.returncode}:\n{self.log_tail()}")
            if b"CRM suite ready" in self.log_path.read_bytes():
                return
            time.sleep(0.2)
        raise RuntimeError(f"the suite did not start within {timeout}s:\n{self.log_tail()}")

    def stop(self) -> None:
        """Stop the suite (SIGTERM, as Ctrl-C would) and drop its databases and vhost."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        if self.distributed:
            servers.delete_vhost(self.vhost)
            template = self.env["CRM_DATABASE_URL"]
            for service in SERVICES:
                db.drop_database(template.replace("{service}", service))

    def database_url(self, service: str) -> str:
        """Return the URL of one service's database, as the suite's processes reach it."""
        template = self.env.get("CRM_DATABASE_URL") or f"sqlite:///{self.data_dir}/{{service}}.sqlite3"
        return template.replace("{service}", service)

    def redeliver(self, service: str, event_type: str, subject: str) -> int:
        """Publish a service's events of this type and object again, as a relay that crashed between
        the broker's confirm and marking them published would: the same events, the same ids.
        Return how many."""
        engine = sa.create_engine(self.database_url(service))
        try:
            with engine.begin() as connection:
                outbox = sa.table("outbox", sa.column("routing_key"), sa.column("body"), sa.column("published_at"))
                return connection.execute(outbox.update().where(
                    outbox.c.routing_key == event_type, outbox.c.body.contains(f'"subject":"{subject}"'),
                    outbox.c.published_at.is_not(None)).values(published_at=None)).rowcount
        finally:
            engine.dispose()

    def pid(self, process_name: str) -> int:
        """Return the pid of one of the suite's processes, e.g. `audit-consumer`."""
        return int((self.data_dir / "run" / f"{process_name}.pid").read_text())

    def probe_url(self, process_name: str, timeout: float = 30.0) -> str:
        """Return the base URL of a relay's or consumer's probe port (/livez, /readyz, /metrics),
        e.g. `contacts-relay`; it is known once the process has started."""
        port_file = self.data_dir / "run" / f"{process_name}.port"
        port = wait_for(lambda: port_file.exists() and port_file.read_text().strip(), timeout=timeout)
        return f"http://127.0.0.1:{port}"

    def log_tail(self, lines: int = 60) -> str:
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])

    def client(self, username: str = "admin", password: str = ADMIN_PASSWORD) -> "Client":
        """Return a client logged in through the gateway."""
        client = Client(self.gateway)
        client.login(username, password)
        return client

    def new_user(self, role: str = "user", prefix: str = "user", **fields: Any) -> tuple["Client", dict[str, Any]]:
        """Create a user through the admin (`fields` such as `manager_id` added); return them logged in,
        and the user as the gateway answered."""
        username = f"{prefix}{time.monotonic_ns()}{next(_numbers)}"
        body = self.client().created("/users", {"username": username, "password": USER_PASSWORD,
                                                "name": f"User {username}", "email": f"{username}@example.cz",
                                                "role": role, **fields})
        return self.client(username, USER_PASSWORD), body


class Client:
    """An HTTP client of the gateway's /api/v1 with a bearer token."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self.session = requests.Session()

    def login(self, username: str, password: str) -> None:
        response = self.session.post(f"{self.base_url}/api/v1/auth/token",
                                     json={"username": username, "password": password}, timeout=10)
        response.raise_for_status()
        self.token = response.json()["access_token"]
        self.session.headers["Authorization"] = f"Bearer {self.token}"

    def request(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        kwargs.setdefault("timeout", 30)
        return self.session.request(method, f"{self.base_url}/api/v1{path}", **kwargs)

    def created(self, path: str, body: dict[str, Any]) -> Any:
        """POST a body and return the JSON answer, failing with the answer unless it is a 200 or 201."""
        response = self.post(path, json=body)
        assert response.status_code in (200, 201), (path, response.text)
        return response.json()

    def created_linking(self, path: str, body: dict[str, Any], timeout: float = 60) -> Any:
        """Create what references a record created a moment ago in another service: that service
        refuses the reference (a 422 on `links.N`, `target` or `contact`) until the record's event
        has reached it, so ask again until it is accepted."""
        def attempt() -> Any:
            response = self.post(path, json=body)
            if response.status_code == 422 and any(
                    key.startswith(REFERENCE_FIELDS) for key in response.json().get("errors", {})):
                return None
            assert response.status_code in (200, 201), (path, response.text)
            return response.json()
        return wait_for(attempt, timeout=timeout)

    def get(self, path: str, **kwargs: Any) -> requests.Response:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, **kwargs: Any) -> requests.Response:
        return self.request("POST", path, **kwargs)

    def patch(self, path: str, **kwargs: Any) -> requests.Response:
        return self.request("PATCH", path, **kwargs)

    def delete(self, path: str, **kwargs: Any) -> requests.Response:
        return self.request("DELETE", path, **kwargs)

    def audit_entries(self, **filters: Any) -> list[dict[str, Any]]:
        """Return every audit entry matching the filters, newest first, following cursors."""
        items: list[dict[str, Any]] = []
        params = {"limit": 500, **filters}
        while True:
            response = self.get("/audit/entries", params=params)
            response.raise_for_status()
            page = response.json()
            items += page["items"]
            if not page["next_cursor"]:
                return items
            params["cursor"] = page["next_cursor"]
