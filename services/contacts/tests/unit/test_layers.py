"""The contacts domain stays free of the web framework, the broker client and the database."""
from __future__ import annotations

import subprocess
import sys

PURE_MODULES = ("crm_contacts.domain.model", "crm_contacts.domain.actions", "crm_contacts.domain.merge",
                "crm_contacts.domain.groups", "crm_contacts.domain.links", "crm_contacts.domain.visibility",
                "crm_contacts.domain.events")


def test_domain_modules_import_neither_flask_nor_kombu_nor_sqlalchemy() -> None:
    script = (
        f"import sys; import {', '.join(PURE_MODULES)}; "
        "print(sorted(m for m in ('flask', 'kombu', 'sqlalchemy') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout

    assert out.strip() == "[]"
