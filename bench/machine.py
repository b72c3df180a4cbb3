"""What the figures depend on: the cores, and how much of them other programs took during the run."""
from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path

TICK = os.sysconf("SC_CLK_TCK")
#: the shared servers: their CPU serves this run and anyone else's tests alike
SERVER_USERS = {"postgres", "rabbitmq"}


def cores() -> int:
    """Return the number of CPUs this process may run on."""
    return len(os.sched_getaffinity(0))


@dataclass(frozen=True)
class CpuSnapshot:
    """Cumulative CPU seconds: the machine busy, this process with its reaped children, the servers,
    and each PostgreSQL backend serving a database that is not this run's."""

    at: float
    machine_busy: float
    ours: float
    servers: float
    foreign_backends: dict[int, float]

    @classmethod
    def take(cls, our_databases: tuple[str, ...]) -> "CpuSnapshot":
        """Read the counters now; databases whose names start with `our_databases` are this run's."""
        mine = os.times()
        servers, foreign = _servers(our_databases)
        return cls(time.monotonic(), _machine_busy(),
                   mine.user + mine.system + mine.children_user + mine.children_system, servers, foreign)

    def others_share(self, later: "CpuSnapshot") -> float:
        """Return the share of all cores used by other programs between two snapshots (a lower bound).

        Busy time of the machine, less this run's processes (every one of them reaped by then),
        less PostgreSQL and RabbitMQ, which also serve this run; plus what PostgreSQL backends of
        other databases used. What remains is somebody else's work.
        """
        others = (later.machine_busy - self.machine_busy) - (later.ours - self.ours) - (later.servers - self.servers)
        others += sum(cpu - self.foreign_backends.get(pid, 0.0) for pid, cpu in later.foreign_backends.items())
        return max(0.0, others) / ((later.at - self.at) * cores())


def _machine_busy() -> float:
    with open("/proc/stat") as stat:
        fields = [int(value) for value in stat.readline().split()[1:]]
    return (sum(fields) - fields[3] - fields[4]) / TICK  # all but idle and iowait


def _servers(our_databases: tuple[str, ...]) -> tuple[float, dict[int, float]]:
    total, foreign = 0.0, {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if stat.parent.owner() not in SERVER_USERS:
                continue
            fields = stat.read_text().rsplit(")", 1)[1].split()
            title = (stat.parent / "cmdline").read_bytes().decode(errors="replace")
        except (OSError, KeyError, IndexError):
            continue  # the process ended meanwhile, or its owner has no name
        # own time and the time of its reaped children: a backend that ends moves into the postmaster
        seconds = sum(int(value) for value in fields[11:15]) / TICK
        total += seconds
        database = _backend_database(title)
        if database and not database.startswith(our_databases):
            foreign[int(stat.parent.name)] = seconds
    return total, foreign


def _backend_database(title: str) -> str | None:
    """Return the database of a backend titled "postgres: 15/main: USER DATABASE HOST(PORT) STATE"."""
    parts = title.split(": ", 2)
    words = parts[2].split() if len(parts) == 3 and parts[0] == "postgres" else []
    return words[1] if len(words) >= 3 and "(" in words[2] else None
