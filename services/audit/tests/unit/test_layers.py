"""The audit service keeps the suite's layers: a pure domain, views that reach no adapter, a framework-free export."""
from __future__ import annotations

from crm_shared.testing.layers import frameworks_imported_by, layering_violations

EXPORT_MODULES = ["crm_audit.domain.export_rows", "crm_shared.tabular"]


def test_the_domain_imports_no_framework_and_the_api_imports_no_adapter() -> None:
    assert layering_violations("crm_audit") == []


def test_the_export_rows_and_the_tabular_writers_import_no_framework() -> None:
    assert frameworks_imported_by(EXPORT_MODULES) == []
