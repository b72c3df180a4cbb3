"""`/api/v1/interaction-templates` and `/api/v1/interaction-rules`: the settings entries copy, and the rules
that log them automatically."""
from __future__ import annotations

from typing import Any

from flask import request
from flask.views import MethodView
from flask_smorest import Blueprint

from crm_shared.preconditions import etag
from crm_shared.service_app import uow

from crm_interactions.api import schemas
from crm_interactions.service_layer import catalog

templates_blp = Blueprint("interaction-templates", __name__, url_prefix="/api/v1/interaction-templates",
                          description="Interaction templates.")
rules_blp = Blueprint("interaction-rules", __name__, url_prefix="/api/v1/interaction-rules",
                      description="Automatic interaction rules (admins).")


@templates_blp.route("")
class Templates(MethodView):
    @templates_blp.arguments(schemas.ListArgsSchema, location="query")
    @templates_blp.response(200, schemas.TemplatePageSchema)
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """List the templates, oldest first; keyset pages."""
        items, next_cursor = catalog.list_templates(uow(), args["limit"], args.get("cursor"))
        return {"items": [item.state() for item in items], "next_cursor": next_cursor}

    @templates_blp.arguments(schemas.TemplateInSchema)
    @templates_blp.response(201, schemas.TemplateOutSchema)
    def post(self, data: dict[str, Any]) -> Any:
        """Create a template; its code is unique (409 otherwise), cost and duration default to zero."""
        template = catalog.create_template(uow(), data)
        return template.state(), 201, {"ETag": etag(template.version), "Location": template.link}


@templates_blp.route("/<uuid:template_id>")
class Template(MethodView):
    @templates_blp.response(200, schemas.TemplateOutSchema)
    def get(self, template_id: Any) -> Any:
        """Read a template (with its ETag)."""
        template = catalog.get_template(uow(), str(template_id))
        return template.state(), 200, {"ETag": etag(template.version)}

    @templates_blp.arguments(schemas.TemplatePatchSchema)
    @templates_blp.response(200, schemas.TemplateOutSchema)
    def patch(self, data: dict[str, Any], template_id: Any) -> Any:
        """Change a template (its creator or an admin); entries logged before keep what they copied; a stale
        If-Match is 412."""
        template = catalog.update_template(uow(), str(template_id), data, request.headers.get("If-Match"))
        return template.state(), 200, {"ETag": etag(template.version)}

    @templates_blp.response(204)
    def delete(self, template_id: Any) -> None:
        """Delete a template no rule uses (its creator or an admin)."""
        catalog.delete_template(uow(), str(template_id), request.headers.get("If-Match"))


@rules_blp.route("")
class Rules(MethodView):
    @rules_blp.arguments(schemas.ListArgsSchema, location="query")
    @rules_blp.response(200, schemas.RulePageSchema)
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """List the rules (admins), oldest first."""
        items, next_cursor = catalog.list_rules(uow(), args["limit"], args.get("cursor"))
        return {"items": [item.state() for item in items], "next_cursor": next_cursor}

    @rules_blp.arguments(schemas.RuleInSchema)
    @rules_blp.response(201, schemas.RuleOutSchema)
    def post(self, data: dict[str, Any]) -> dict[str, Any]:
        """Log `template_id` for each contact an event of `event_type` links (crm.deal.won / crm.deal.lost:
        a deal closed so; `task_type_id`: only completed tasks of that type)."""
        return catalog.create_rule(uow(), data).state()


@rules_blp.route("/<uuid:rule_id>")
class Rule(MethodView):
    @rules_blp.arguments(schemas.RulePatchSchema)
    @rules_blp.response(200, schemas.RuleOutSchema)
    def patch(self, data: dict[str, Any], rule_id: Any) -> dict[str, Any]:
        """Change a rule (admins)."""
        return catalog.update_rule(uow(), str(rule_id), data).state()

    @rules_blp.response(204)
    def delete(self, rule_id: Any) -> None:
        """Delete a rule (admins)."""
        catalog.delete_rule(uow(), str(rule_id))
