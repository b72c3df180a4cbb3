"""Generated calls of every documented contacts operation: no server error, no undocumented status."""
from __future__ import annotations

from pathlib import Path

import pytest

from crm_shared.config import Settings
from crm_shared.service_app import context_of
from crm_shared.migrations import upgrade
from crm_shared.testing.api_fuzz import fuzz_findings
from crm_shared.testing.fake_ares import FakeAres
from crm_shared.testing.tokens import TokenIssuer

from crm_contacts.__main__ import MIGRATIONS
from crm_contacts.app import create_app


@pytest.mark.integration
def test_no_generated_call_makes_a_server_error_or_an_undocumented_status(
    postgres_url: str, tmp_path: Path, issuer: TokenIssuer
) -> None:
    with FakeAres() as ares:
        settings = Settings.from_env("contacts", {"CRM_DATA_DIR": str(tmp_path), "CRM_DATABASE_URL": postgres_url,
                                                  "CRM_ARES_URL": ares.url})
        upgrade(settings.database_url, MIGRATIONS, "contacts")
        app = create_app(settings, verifier=issuer.verifier())
        try:
            findings = fuzz_findings(app, issuer.headers("admin", name="Ada Admin"))
            assert not findings, "\n\n".join(findings)
        finally:
            context_of(app).engine.dispose()
