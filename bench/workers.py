"""How much CPU each gunicorn worker took during a load: unequal shares flag unbalanced connections."""
from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Callable, TypeVar

TICK = os.sysconf("SC_CLK_TCK")
T = TypeVar("T")


def workers(master: int) -> list[int]:
    """Return the pids of a gunicorn master's worker processes."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == master:
                found.append(int(stat.parent.name))
        except (OSError, ValueError, IndexError):
            continue  # the process ended meanwhile
    return sorted(found)


def cpu_seconds(pid: int) -> float:
    """Return the CPU seconds a process has used so far (0 once it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICK


def cores_per_worker(masters: dict[str, int], action: Callable[[], T]) -> tuple[T, dict[str, list[float]]]:
    """Run `action`; return its result and the cores each server's workers used meanwhile."""
    pids = {name: workers(master) for name, master in masters.items()}
    before = {pid: cpu_seconds(pid) for group in pids.values() for pid in group}
    started = time.monotonic()
    result = action()
    elapsed = time.monotonic() - started
    shares = {name: [(cpu_seconds(pid) - before[pid]) / elapsed for pid in group] for name, group in pids.items()}
    return result, shares


def describe(shares: dict[str, list[float]]) -> str:
    """Return e.g. "contacts 0.78+0.73"."""
    return ", ".join(f"{name} {'+'.join(f'{share:.2f}' for share in group)}" for name, group in shares.items())
