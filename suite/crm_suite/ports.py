"""Before the suite starts: every port it will listen on must be free, or it says who holds it."""
from __future__ import annotations

import errno
import os
import socket
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Mapping

from crm_shared.config import service_port

#: /proc/net/tcp's state of a listening socket
_LISTEN = "0A"


@dataclass(frozen=True)
class BusyPort:
    """A port one of the suite's servers needs that something else already has."""

    service: str
    port: int
    holder: str | None

    def message(self) -> str:
        """Say which port is taken, by what if known, and how to choose another."""
        variable = f"CRM_{self.service.upper()}_PORT"
        by = f" by {self.holder}" if self.holder else ""
        return (f"port {self.port} of the {self.service} service ({variable}) is already in use{by}; "
                f"stop that program or set {variable} to a free port")


def busy_ports(services: Iterable[str], environ: Mapping[str, str], *, proc: Path = Path("/proc")) -> list[BusyPort]:
    """Return the ports of `services` that cannot be bound on CRM_BIND_HOST, with their holders."""
    host = environ.get("CRM_BIND_HOST", "127.0.0.1")
    busy = []
    for service in services:
        port = service_port(service, environ)
        if port and not _can_bind(host, port):
            busy.append(BusyPort(service, port, port_holder(port, proc=proc)))
    return busy


def port_holder(port: int, *, proc: Path = Path("/proc")) -> str | None:
    """Return "pid N (command line)" of a process listening on `port`, or None if none can be seen."""
    inodes = _listening_inodes(port, proc)
    if not inodes:
        return None
    for pid_dir in proc.iterdir():
        if pid_dir.name.isdigit() and inodes & _socket_inodes(pid_dir):
            return f"pid {pid_dir.name} ({_command_line(pid_dir)})"
    return "a process this user may not inspect"


def _can_bind(host: str, port: int) -> bool:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        # as gunicorn does, so that connections still closing on the port do not count
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as error:
            if error.errno in (errno.EADDRINUSE, errno.EACCES):
                return False
            raise
    return True


def _listening_inodes(port: int, proc: Path) -> set[str]:
    inodes = set()
    for table in ("tcp", "tcp6"):
        try:
            lines = (proc / "net" / table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            if len(fields) > 9 and fields[3] == _LISTEN and int(fields[1].rsplit(":", 1)[1], 16) == port:
                inodes.add(fields[9])
    return inodes


def _socket_inodes(pid_dir: Path) -> set[str]:
    inodes = set()
    try:
        for fd in (pid_dir / "fd").iterdir():
            link = os.readlink(fd)
            if link.startswith("socket:["):
                inodes.add(link[len("socket:["):-1])
    except OSError:  # the process is gone, or belongs to another user
        pass
    return inodes


def _command_line(pid_dir: Path) -> str:
    try:
        parts = (pid_dir / "cmdline").read_bytes().split(b"\0")
    except OSError:
        return "?"
    return " ".join(part.decode(errors="replace") for part in parts if part)[:200] or "?"
