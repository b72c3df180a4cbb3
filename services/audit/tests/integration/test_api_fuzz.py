"""Generated calls of every documented audit operation: no server error, no undocumented status."""
from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

from crm_audit.api.stream import TAIL_STREAM
from crm_audit.app import create_app
from crm_shared import db, migrations
from crm_shared.testing.api_fuzz import fuzz_findings

from crm_audit.__main__ import MIGRATIONS


@pytest.mark.integration
def test_no_generated_call_makes_a_server_error_or_an_undocumented_status(
    postgres_url: str, tokens, settings_for, tmp_path: Path  # type: ignore[no-untyped-def]
) -> None:
    migrations.upgrade(postgres_url, MIGRATIONS, "audit")
    engine: sa.Engine = db.create_engine(postgres_url)
    try:
        app = create_app(settings_for(postgres_url, tmp_path), verifier=tokens.verifier(), engine=engine)
        document = app.test_client().get("/openapi.json").get_json()
        assert "text/event-stream" in document["paths"][TAIL_STREAM.path]["get"]["responses"]["200"]["content"]
        # the live server answers the stream beside the app: it cannot be called in-process
        findings = fuzz_findings(app, tokens.headers(), skip=[f"GET {TAIL_STREAM.path}"])
        assert not findings, "\n\n".join(findings)
    finally:
        engine.dispose()
