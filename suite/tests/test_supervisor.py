"""The supervisor's one-off setup steps: side by side, every one run, a failure named."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

from crm_suite.plan import ProcessSpec
from crm_suite.supervisor import StartupFailed, Supervisor


def writes(name: str, path: Path, code: int = 0) -> ProcessSpec:
    script = f"import pathlib, sys; pathlib.Path({str(path)!r}).write_text('done'); sys.exit({code})"
    return ProcessSpec(name, [sys.executable, "-c", script])


def test_independent_steps_all_run(tmp_path: Path) -> None:
    supervisor = Supervisor(tmp_path, {})
    supervisor.run_steps([writes(f"step-{n}", tmp_path / f"{n}.txt") for n in range(3)])
    assert sorted(path.name for path in tmp_path.glob("*.txt")) == ["0.txt", "1.txt", "2.txt"]


def test_a_failed_step_is_named_and_the_others_still_finish(tmp_path: Path) -> None:
    supervisor = Supervisor(tmp_path, {})
    with pytest.raises(StartupFailed, match="contacts-migrate exited with 3"):
        supervisor.run_steps([writes("contacts-migrate", tmp_path / "a.txt", code=3),
                              writes("deals-migrate", tmp_path / "b.txt")])
    assert (tmp_path / "b.txt").read_text() == "done"


def test_no_steps_is_nothing_to_do(tmp_path: Path) -> None:
    Supervisor(tmp_path, {}).run_steps([])
