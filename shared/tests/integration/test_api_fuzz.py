"""The fuzzing harness reports server errors and undocumented statuses, and is quiet on a sound app."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import fields

from crm_shared.config import Settings
from crm_shared.errors import Problem
from crm_shared.schemas import StrictSchema
from crm_shared.testing.api_fuzz import fuzz_findings
from crm_shared.testing.tokens import TokenIssuer
from crm_shared.web import create_service_app

issuer = TokenIssuer()


class CountSchema(StrictSchema):
    count = fields.Integer(required=True)


class Teapot(Problem):
    status, title = 418, "I'm a teapot"


def app_with(handler: Any, tmp_path: Path) -> Flask:
    blp = Blueprint("counts", __name__, url_prefix="/api/v1/counts")

    @blp.route("")
    class Counts(MethodView):
        @blp.arguments(CountSchema)
        @blp.response(200, CountSchema)
        def post(self, data: dict[str, Any]) -> dict[str, Any]:
            return handler(data)

    settings = Settings.from_env("counts", {"CRM_DATA_DIR": str(tmp_path)})
    return create_service_app(settings, title="Counts", blueprints=[blp], verifier=issuer.verifier())[0]


def test_a_sound_app_has_no_findings(tmp_path: Path) -> None:
    assert fuzz_findings(app_with(lambda data: data, tmp_path), issuer.headers("user"), max_examples=5) == []


def test_a_server_error_is_found(tmp_path: Path) -> None:
    findings = fuzz_findings(app_with(lambda data: {"count": 1 // 0}, tmp_path), issuer.headers("user"),
                             max_examples=5)
    assert len(findings) == 1 and "POST /api/v1/counts" in findings[0] and "Server error" in findings[0]


def test_an_undocumented_status_is_found(tmp_path: Path) -> None:
    def teapot(data: dict[str, Any]) -> dict[str, Any]:
        raise Teapot("Short and stout.")

    findings = fuzz_findings(app_with(teapot, tmp_path), issuer.headers("user"), max_examples=5)
    assert len(findings) == 1 and "Undocumented status code" in findings[0]
