"""Every command the suite's help texts name is installed, and each answers --help under its own name."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

BIN = Path(sys.executable).parent
#: how each of the suite's programs is started, and the name its usage line gives
PROGRAMS = [
    (["crm-suite"], "crm-suite"),
    (["crm-relay"], "crm-relay"),
    (["crm-dead-letters"], "crm-dead-letters"),
    *[([sys.executable, "-m", f"crm_{service}"], f"crm-{service}") for service in ("gateway", "contacts", "audit", "deals")],
    ([sys.executable, "-m", "crm_shared.relay_main"], "crm-relay"),
]


def help_text(argv: list[str]) -> str:
    command = [str(BIN / argv[0]), *argv[1:]] if not argv[0].startswith("/") else argv
    result = subprocess.run([*command, "--help"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.mark.parametrize(("argv", "name"), PROGRAMS, ids=[name for _, name in PROGRAMS])
def test_each_program_names_an_installed_command_in_its_help(argv: list[str], name: str) -> None:
    text = help_text(argv)

    assert text.startswith(f"usage: {name} ")
    for command in set(re.findall(r"\bcrm-[a-z-]+[a-z]\b", text)):
        assert (BIN / command).exists(), f"{name} --help names {command}, which is not installed"
