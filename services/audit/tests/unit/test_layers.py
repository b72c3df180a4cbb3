"""The export stays free of the web framework, the broker client and the database: the rows and the writers."""
from __future__ import annotations

from crm_shared.testing.layers import frameworks_imported_by

EXPORT_MODULES = ["crm_audit.domain.export_rows", "crm_shared.tabular"]


def test_the_export_rows_and_the_tabular_writers_import_no_framework() -> None:
    assert frameworks_imported_by(EXPORT_MODULES) == []
