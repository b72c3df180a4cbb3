"""Everything one run creates (databases, vhosts, processes, folders), removed again however it ends."""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import uuid
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from pathlib import Path
from types import FrameType, TracebackType
from typing import Any, Callable, Mapping

from crm_shared import db
from crm_shared.testing import servers

REPO = Path(__file__).resolve().parent.parent


class Workspace:
    """Create resources named after one run id and undo each of them, newest first, on close."""

    def __init__(self, results_dir: Path) -> None:
        self.run_id = uuid.uuid4().hex[:6]
        self.results_dir = results_dir
        self._stack = ExitStack()

    def __enter__(self) -> "Workspace":
        self.results_dir.mkdir(parents=True, exist_ok=True)
        _raise_on_sigterm()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def database(self, name: str) -> str:
        """Create an empty PostgreSQL database of this run and return its SQLAlchemy URL."""
        url = f"{servers.POSTGRES_URL.rsplit('/', 1)[0]}/bench_{self.run_id}_{name}"
        self._stack.callback(db.drop_database, url)
        db.ensure_database(url)
        return url

    def vhosts(self, *names: str) -> dict[str, str]:
        """Create RabbitMQ vhosts of this run (in parallel: rabbitmqctl takes ~0.7 s a call)."""
        full = {name: f"bench-{self.run_id}-{name}" for name in names}
        self._stack.callback(_in_parallel, servers.delete_vhost, list(full.values()))
        _in_parallel(servers.create_vhost, list(full.values()))
        return {name: servers.amqp_vhost_url(vhost) for name, vhost in full.items()}

    def temp_dir(self, prefix: str) -> Path:
        """Return a temporary folder removed on close."""
        path = Path(tempfile.mkdtemp(prefix=f"bench-{self.run_id}-{prefix}-"))
        self._stack.callback(shutil.rmtree, path, ignore_errors=True)
        return path

    def process(self, name: str, argv: list[str], env: Mapping[str, str]) -> subprocess.Popen[bytes]:
        """Start a process in its own group, output to `<results>/<name>.log`; stop the group on close."""
        log = (self.results_dir / f"{name}.log").open("ab")
        popen = subprocess.Popen(argv, env=dict(env), cwd=REPO, stdout=log, stderr=log, start_new_session=True)
        self._stack.callback(log.close)
        self._stack.callback(stop_process, popen)
        return popen

    def callback(self, function: Callable[..., Any], *args: Any) -> None:
        """Run `function(*args)` on close, before what was registered earlier."""
        self._stack.callback(function, *args)

    def close(self) -> None:
        """Undo everything; a second Ctrl-C or SIGTERM cannot cut the clean-up short."""
        previous = {sig: signal.signal(sig, signal.SIG_IGN) for sig in (signal.SIGINT, signal.SIGTERM)}
        try:
            self._stack.close()
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)


def python_module(module: str, *args: str) -> list[str]:
    """Return the argv that runs `python -m module args` with this interpreter."""
    return [sys.executable, "-m", module, *args]


def stop_process(popen: subprocess.Popen[bytes], grace: float = 10.0) -> None:
    """SIGTERM a process group, then SIGKILL it after `grace` seconds."""
    if popen.poll() is not None:
        return
    _signal_group(popen, signal.SIGTERM)
    try:
        popen.wait(grace)
    except subprocess.TimeoutExpired:
        _signal_group(popen, signal.SIGKILL)
        popen.wait()


def _signal_group(popen: subprocess.Popen[bytes], signum: int) -> None:
    try:
        os.killpg(popen.pid, signum)
    except ProcessLookupError:
        pass


def _in_parallel(function: Callable[[str], Any], items: list[str]) -> None:
    with ThreadPoolExecutor(max_workers=max(1, len(items))) as pool:
        list(pool.map(function, items))


def _raise_on_sigterm() -> None:
    # SIGTERM (a CI timeout, `kill`) unwinds like Ctrl-C so that every `finally` cleans up
    def _handler(_signum: int, _frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, _handler)
