"""Generated calls of every documented counters operation: no server error, no undocumented status."""
from __future__ import annotations

from pathlib import Path

import pytest

from crm_shared.testing.api_fuzz import fuzz_findings
from crm_shared.testing.apps import migrated_app

from crm_counters.api.stream import COUNTERS_STREAM
from crm_counters.app import create_app
from crm_counters.declaration import SERVICE

from .conftest import AS_ADMIN, People, issuer


@pytest.mark.integration
def test_no_generated_call_makes_a_server_error_or_an_undocumented_status(postgres_url: str, tmp_path: Path) -> None:
    factory = lambda settings, verifier: create_app(settings, verifier=verifier, people=People("ada"))  # noqa: E731
    with migrated_app(SERVICE, factory, postgres_url, tmp_path, issuer.verifier()) as app:
        document = app.test_client().get("/openapi.json").get_json()
        assert "ticket" in {p["name"] for p in document["paths"][COUNTERS_STREAM.path]["get"]["parameters"]}
        # the live server answers the stream beside the app: it cannot be called in-process
        findings = fuzz_findings(app, AS_ADMIN, skip=[f"GET {COUNTERS_STREAM.path}"])
    assert not findings, "\n\n".join(findings)
