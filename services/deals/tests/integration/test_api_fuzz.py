"""Generated calls of every documented deals operation: no server error, no undocumented status."""
from __future__ import annotations

from pathlib import Path

import pytest

from crm_shared.config import Settings
from crm_shared.service_app import context_of
from crm_shared.migrations import upgrade
from crm_shared.service_app import context_of
from crm_shared.testing.api_fuzz import fuzz_findings
from crm_shared.testing.tokens import TokenIssuer

from crm_deals.app import create_app

from .test_api import MIGRATIONS


@pytest.mark.integration
def test_no_generated_call_makes_a_server_error_or_an_undocumented_status(postgres_url: str, tmp_path: Path) -> None:
    issuer = TokenIssuer()
    settings = Settings.from_env("deals", {"CRM_DATA_DIR": str(tmp_path), "CRM_DATABASE_URL": postgres_url})
    upgrade(settings.database_url, MIGRATIONS, "deals")
    app = create_app(settings, verifier=issuer.verifier())
    try:
        findings = fuzz_findings(app, issuer.headers("admin", name="Ada Admin"))
        assert not findings, "\n\n".join(findings)
    finally:
        context_of(app).engine.dispose()
