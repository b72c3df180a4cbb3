"""Generated calls of every documented gateway operation: no server error, no undocumented status."""
from __future__ import annotations

from typing import Callable

from flask import Flask

from crm_shared.testing.api_fuzz import fuzz_findings


def test_no_generated_call_makes_a_server_error_or_an_undocumented_status(
    make_app: Callable[..., Flask], admin_headers: dict[str, str]
) -> None:
    findings = fuzz_findings(make_app(), admin_headers)
    assert not findings, "\n\n".join(findings)
