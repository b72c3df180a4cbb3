"""The domain and the live hub stay free of the web, the database, the bus and the wire schemas."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

from crm_shared.testing.layers import layering_violations

PACKAGE = Path(__file__).resolve().parents[2] / "crm_counters"
FORBIDDEN = ("flask", "flask_smorest", "sqlalchemy", "alembic", "kombu", "marshmallow", "webargs", "psycopg")


def imported_roots(path: Path) -> set[str]:
    roots = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            roots |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            roots.add(node.module.split(".")[0])
    return roots


@pytest.mark.parametrize("path", sorted((*PACKAGE.glob("domain/*.py"), *PACKAGE.glob("live/*.py"))),
                         ids=lambda path: f"{path.parent.name}/{path.name}")
def test_the_module_imports_no_framework_database_bus_or_schema_library(path: Path) -> None:
    assert not imported_roots(path) & set(FORBIDDEN)


def test_crm_shared_modules_the_domain_uses_are_framework_free_too() -> None:
    used = {"changes", "copies", "envelope", "events", "rules"}
    shared = Path(__import__("crm_shared").__file__).parent
    for name in used:
        assert not imported_roots(shared / f"{name}.py") & set(FORBIDDEN), name


def test_the_kit_s_layering_rule_holds_the_domain_pure_and_the_api_free_of_adapters() -> None:
    assert layering_violations("crm_counters") == []
