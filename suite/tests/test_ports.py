"""`make run` refuses to start when a port it needs is taken, and names the port and its holder."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path
from typing import Iterator

import pytest

from crm_suite.ports import busy_ports, port_holder


@pytest.fixture
def taken_port() -> Iterator[int]:
    """A free port, then held by a listening socket of this process for the test."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        yield holder.getsockname()[1]


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_a_taken_service_port_is_reported_with_the_process_holding_it(taken_port: int) -> None:
    environ = {"CRM_GATEWAY_PORT": str(free_port()), "CRM_AUDIT_PORT": str(taken_port)}

    busy = busy_ports(["gateway", "audit"], environ)

    assert [(item.service, item.port) for item in busy] == [("audit", taken_port)]
    assert busy[0].holder is not None and busy[0].holder.startswith(f"pid {os.getpid()} (")
    assert f"port {taken_port} of the audit service (CRM_AUDIT_PORT) is already in use by pid {os.getpid()}" \
        in busy[0].message()


def test_free_ports_are_not_reported() -> None:
    assert busy_ports(["gateway", "contacts"], {"CRM_GATEWAY_PORT": str(free_port()),
                                                "CRM_CONTACTS_PORT": str(free_port())}) == []


def test_a_port_nobody_listens_on_has_no_holder() -> None:
    assert port_holder(free_port()) is None


def test_the_holder_is_named_from_a_proc_table_too(tmp_path: Path) -> None:
    (tmp_path / "net").mkdir()
    (tmp_path / "net" / "tcp").write_text(
        "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n"
        "   0: 0100007F:1F91 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 4242 1\n"
        "   1: 0100007F:1F92 00000000:0000 01 00000000:00000000 00:00000000 00000000  1000        0 4343 1\n"
    )
    (tmp_path / "77" / "fd").mkdir(parents=True)
    (tmp_path / "77" / "fd" / "3").symlink_to("socket:[4242]")
    (tmp_path / "77" / "cmdline").write_bytes(b"python3\0-m\0http.server\0008081\0")

    assert port_holder(0x1F91, proc=tmp_path) == "pid 77 (python3 -m http.server 8081)"
    assert port_holder(0x1F92, proc=tmp_path) is None


def test_crm_suite_run_exits_non_zero_before_starting_anything_when_a_port_is_taken(
    taken_port: int, tmp_path: Path
) -> None:
    environ = {**os.environ, "CRM_DATA_DIR": str(tmp_path / "var"), "CRM_CONTACTS_PORT": str(taken_port),
               "CRM_GATEWAY_PORT": str(free_port()), "CRM_AUDIT_PORT": str(free_port()),
               "CRM_DEALS_PORT": str(free_port())}

    result = subprocess.run([sys.executable, "-m", "crm_suite.cli", "run"], env=environ,
                            capture_output=True, text=True, timeout=60)

    assert result.returncode == 1
    assert f"port {taken_port} of the contacts service (CRM_CONTACTS_PORT) is already in use by pid {os.getpid()}" \
        in result.stderr
    assert not (tmp_path / "var").exists()
