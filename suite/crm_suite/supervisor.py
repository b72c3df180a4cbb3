"""Starting, watching, restarting and stopping the suite's processes."""
from __future__ import annotations

import logging
import os
import signal
import subprocess
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import requests

from crm_suite.plan import ProcessSpec

log = logging.getLogger("crm.suite")


class StartupFailed(RuntimeError):
    """A setup step failed or a server did not come up."""


@dataclass
class _Running:
    spec: ProcessSpec
    popen: subprocess.Popen[bytes]
    started: float
    restarts: int = 0


class Supervisor:
    """Keep every process of the suite running until told to stop, then stop them all.

    A process that dies is started again after a growing delay; each one's pid is kept in
    `<run_dir>/<name>.pid` so operators (and fault tests) can find it.
    """

    def __init__(self, run_dir: Path, environ: dict[str, str]) -> None:
        self.run_dir = run_dir
        self.environ = environ
        self.running: dict[str, _Running] = {}
        self.stopping = threading.Event()

    def run_step(self, spec: ProcessSpec, timeout: float = 120.0) -> None:
        """Run a one-off step to completion; raise StartupFailed if it fails."""
        result = subprocess.run(spec.argv, env={**self.environ, **spec.env}, timeout=timeout)
        if result.returncode != 0:
            raise StartupFailed(f"{spec.name} exited with {result.returncode}")

    def run_steps(self, specs: list[ProcessSpec], timeout: float = 120.0) -> None:
        """Run independent one-off steps side by side; raise StartupFailed if any fails (after all ended)."""
        with ThreadPoolExecutor(max(1, len(specs))) as pool:
            outcomes = [pool.submit(self.run_step, spec, timeout) for spec in specs]
        for outcome in outcomes:
            outcome.result()

    def start(self, spec: ProcessSpec, restarts: int = 0) -> None:
        """Start a long-running process."""
        popen = subprocess.Popen(spec.argv, env={**self.environ, **spec.env}, start_new_session=True)
        self.running[spec.name] = _Running(spec, popen, time.monotonic(), restarts)
        (self.run_dir / f"{spec.name}.pid").write_text(str(popen.pid))

    def wait_healthy(self, timeout: float = 60.0) -> None:
        """Wait until every server answers its health URL; raise StartupFailed otherwise."""
        deadline = time.monotonic() + timeout
        for item in list(self.running.values()):
            while item.spec.health_url:
                if item.popen.poll() is not None:
                    raise StartupFailed(f"{item.spec.name} exited with {item.popen.returncode} while starting")
                try:
                    if requests.get(item.spec.health_url, timeout=1).ok:
                        break
                except requests.RequestException:
                    pass
                if time.monotonic() > deadline:
                    raise StartupFailed(f"{item.spec.name} did not answer {item.spec.health_url}")
                time.sleep(0.1)

    def watch(self) -> None:
        """Restart processes that die, until `stopping` is set."""
        while not self.stopping.wait(0.2):
            for name, item in list(self.running.items()):
                code = item.popen.poll()
                if code is None:
                    continue
                delay = min(2 ** min(item.restarts, 5) * 0.5, 15.0)
                if time.monotonic() - item.started > 60:
                    delay = 0.5
                log.warning("%s exited with %s; restarting in %.1fs", name, code, delay)
                if self.stopping.wait(delay):
                    return
                self.start(item.spec, item.restarts + 1)

    def stop_all(self, grace: float = 10.0) -> None:
        """Ask every process to stop (SIGTERM), then kill what is still running after `grace`."""
        self.stopping.set()
        for item in self.running.values():
            _signal_group(item.popen, signal.SIGTERM)
        deadline = time.monotonic() + grace
        for item in self.running.values():
            try:
                item.popen.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                _signal_group(item.popen, signal.SIGKILL)
                item.popen.wait()
            (self.run_dir / f"{item.spec.name}.pid").unlink(missing_ok=True)
            (self.run_dir / f"{item.spec.name}.port").unlink(missing_ok=True)


def _signal_group(popen: subprocess.Popen[bytes], signum: int) -> None:
    # each child leads its own process group, so gunicorn's workers get the signal too
    try:
        os.killpg(popen.pid, signum)
    except ProcessLookupError:
        pass
