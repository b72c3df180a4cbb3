"""Closed-loop HTTP load with wrk: fixed connections and duration, and its summary line."""
from __future__ import annotations

import json
import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

SCRIPT = Path(__file__).with_name("wrk_post.lua")
MARKER = "BENCH_RESULT "


@dataclass(frozen=True)
class LoadSettings:
    """How every HTTP measurement is loaded."""

    connections: int = 8
    threads: int = 2
    seconds: float = 10.0
    warmup_seconds: float = 2.0

    def describe(self) -> str:
        """Return the settings in one phrase for the table's header."""
        return (f"wrk, {self.connections} connections, {self.threads} threads, {self.seconds:g} s "
                f"after {self.warmup_seconds:g} s warm-up")


@dataclass(frozen=True)
class HttpResult:
    """Throughput (2xx/3xx answers only) and latency of one wrk run; `errors` counts failed and non-2xx requests."""

    requests: int
    rate: float
    p50_ms: float
    p99_ms: float
    max_ms: float
    errors: int


def run_wrk(
    url: str, body: str, token: str, connections: int, threads: int, seconds: float, log: os.PathLike[str]
) -> HttpResult:
    """Run wrk once and return what its summary line says; its full output goes to `log`."""
    argv = ["wrk", "--latency", "-t", str(threads), "-c", str(connections), "-d", f"{seconds:g}s",
            "--timeout", "10s", "-s", str(SCRIPT), url]
    env = {**os.environ, "BENCH_BODY": body, "BENCH_TOKEN": token}
    done = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=seconds + 30, check=True)
    with open(log, "a") as out:
        out.write(f"$ {' '.join(argv)}\n{done.stdout}{done.stderr}\n")
    return _parse(done.stdout)


def _parse(output: str) -> HttpResult:
    line = next((line for line in output.splitlines() if line.startswith(MARKER)), None)
    if line is None:
        raise RuntimeError(f"wrk printed no summary:\n{output}")
    raw = json.loads(line[len(MARKER):])
    errors = sum(raw[key] for key in ("connect", "read", "write", "status", "timeout"))
    return HttpResult(
        requests=raw["requests"],
        rate=(raw["requests"] - raw["status"]) / (raw["duration_us"] / 1e6),
        p50_ms=raw["p50_us"] / 1000,
        p99_ms=raw["p99_us"] / 1000,
        max_ms=raw["max_us"] / 1000,
        errors=errors,
    )
