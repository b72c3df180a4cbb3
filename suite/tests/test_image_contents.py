"""What an image installs (the kit and the service, not editable) carries each service's migrations and data files."""
from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from crm_shared.declaration import installed
from crm_suite.deploy.tools import ROOT


def _wheel(source: Path, tmp_path: Path) -> set[str]:
    # built from a copy, as the image's build stage does from its context: nothing written into the repository
    copy = tmp_path / source.name
    shutil.copytree(source, copy, ignore=shutil.ignore_patterns("tests", "build", "*.egg-info", "__pycache__"))
    out = tmp_path / "wheels"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
                    "--wheel-dir", str(out), str(copy)], check=True, capture_output=True, timeout=300)
    [wheel] = out.glob("*.whl")
    return set(zipfile.ZipFile(wheel).namelist())


@pytest.mark.parametrize("service", sorted(s.name for s in installed()))
def test_the_installed_service_carries_every_file_of_its_package(service: str, tmp_path: Path) -> None:
    declaration = next(s for s in installed() if s.name == service)
    source = ROOT / "services" / service
    expected = {str(path.relative_to(source)) for path in (source / declaration.package).rglob("*")
                if path.is_file() and "__pycache__" not in path.parts}

    files = _wheel(source, tmp_path)

    # migrations (versions, env.py, script.py.mako), fonts: whatever the service reads at run time
    assert any("/migrations/versions/" in name for name in expected)
    assert expected <= files, sorted(expected - files)


def test_the_installed_kit_carries_every_module(tmp_path: Path) -> None:
    source = ROOT / "shared"
    expected = {str(path.relative_to(source)) for path in (source / "crm_shared").rglob("*.py")
                if "__pycache__" not in path.parts}

    assert expected <= _wheel(source, tmp_path)
