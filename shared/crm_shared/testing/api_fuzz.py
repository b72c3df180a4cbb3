"""Property-based calls of every operation a service documents: no server error, no undocumented status."""
from __future__ import annotations

from typing import Any, Iterable

import hypothesis
import hypothesis.errors
import schemathesis
from schemathesis import GenerationMode
from flask import Flask
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import status_code_conformance

#: What each operation is called with: enough to find edge cases, few enough for two cores.
DEFAULT_EXAMPLES = 12


def fuzz_findings(
    app: Flask, headers: dict[str, str], *, max_examples: int = DEFAULT_EXAMPLES,
    skip: Iterable[str] = (),
) -> list[str]:
    """Call each documented operation of `app` with valid and invalid input; return what the checks found.

    `skip` names operations ("GET /api/v1/…") that cannot be called in-process (e.g. a stream).
    """
    schema = schemathesis.openapi.from_wsgi("/openapi.json", app)
    skipped = set(skip)
    findings: list[str] = []
    for result in schema.get_all_operations():
        operation = result.ok()
        if operation.label in skipped:
            continue
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            findings.extend(_fuzz(operation, mode, headers, max_examples))
    return findings


def _fuzz(operation: Any, mode: GenerationMode, headers: dict[str, str], max_examples: int) -> list[str]:
    @hypothesis.settings(
        max_examples=max_examples, deadline=None, database=None, derandomize=True,
        suppress_health_check=list(hypothesis.HealthCheck),
        phases=[hypothesis.Phase.explicit, hypothesis.Phase.generate],
    )
    @hypothesis.given(case=operation.as_strategy(mode))
    def call(case: Any) -> None:
        case.call_and_validate(headers=headers, checks=[not_a_server_error, status_code_conformance])

    try:
        call()
    except hypothesis.errors.Unsatisfiable:
        return []  # an operation without parameters has no invalid input to make
    except (Exception, BaseExceptionGroup) as failure:  # every finding is reported, the run goes on
        return [f"{operation.label} ({mode.value} input): {failure}"]
    return []
