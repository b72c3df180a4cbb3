"""The domain and the export writers stay free of the web framework and the broker client."""
from __future__ import annotations

import subprocess
import sys

PURE_MODULES = ("crm_audit.domain.entries", "crm_audit.domain.export_rows", "crm_shared.tabular")


def test_domain_and_export_modules_import_neither_flask_nor_kombu() -> None:
    script = (
        f"import sys; import {', '.join(PURE_MODULES)}; "
        "print(sorted(m for m in ('flask', 'kombu', 'sqlalchemy') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout

    assert out.strip() == "[]"
