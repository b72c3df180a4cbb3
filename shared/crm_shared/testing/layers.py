"""The layering rule every service keeps, as one check its tests call.

- domain modules import no Flask, SQLAlchemy, kombu or marshmallow (nor any module that does);
- API modules import no adapters of their service.
"""
from __future__ import annotations

import ast
import pkgutil
import subprocess
import sys
from importlib import import_module
from pathlib import Path

FRAMEWORKS = ("flask", "sqlalchemy", "kombu", "marshmallow")


def modules_under(package: str) -> list[str]:
    """Return the dotted names of every module of a package, the package itself included."""
    root = import_module(package)
    names = [package]
    for info in pkgutil.walk_packages(root.__path__, prefix=f"{package}."):
        names.append(info.name)
    return names


def frameworks_imported_by(modules: list[str]) -> list[str]:
    """Return the frameworks a fresh interpreter has loaded after importing `modules`."""
    script = (
        f"import sys; import {', '.join(modules)}; "
        f"print(' '.join(sorted(m for m in {FRAMEWORKS!r} if m in sys.modules)))"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout
    return out.split()


def adapter_imports(package: str, layer: str = "api") -> list[str]:
    """Return `module: imported` for each import of `<package>.adapters` in the layer's modules."""
    found = []
    for name in modules_under(f"{package}.{layer}"):
        module = import_module(name)
        source = Path(module.__file__ or "").read_text(encoding="utf-8")
        for node in ast.walk(ast.parse(source)):
            imported = []
            if isinstance(node, ast.ImportFrom) and node.module:
                imported = [node.module, *(f"{node.module}.{alias.name}" for alias in node.names)]
            elif isinstance(node, ast.Import):
                imported = [alias.name for alias in node.names]
            found += [f"{name}: {target}" for target in imported
                      if target == f"{package}.adapters" or target.startswith(f"{package}.adapters.")]
    return sorted(set(found))


def layering_violations(package: str, pure: tuple[str, ...] = ("domain",)) -> list[str]:
    """Return what breaks the layering rule in a service package (empty when it holds); `pure` names
    the sub-packages held free of frameworks (the domain, and e.g. a feed writer or a live hub)."""
    problems: list[str] = []
    for layer in pure:
        if _exists(f"{package}.{layer}"):
            modules = modules_under(f"{package}.{layer}")
            problems += [f"{package}.{layer} imports {name}" for name in frameworks_imported_by(modules)]
    if _exists(f"{package}.api"):
        problems += [f"API imports an adapter: {line}" for line in adapter_imports(package)]
    return problems


def _exists(name: str) -> bool:
    try:
        import_module(name)
    except ModuleNotFoundError as missing:
        if missing.name != name:
            raise
        return False
    return True
