"""`/api/v1/task-templates` (and applying them) and `/api/v1/spaces`."""
from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint

from crm_shared.service_app import uow

from crm_tasks.api import schemas
from crm_tasks.service_layer import templates as use_cases
from crm_tasks.service_layer.tasks import task_view

templates_blp = Blueprint("task_templates", __name__, url_prefix="/api/v1/task-templates",
                          description="Task templates.")
spaces_blp = Blueprint("spaces", __name__, url_prefix="/api/v1/spaces", description="Spaces.")


@templates_blp.route("")
class Templates(MethodView):
    @templates_blp.response(200, schemas.TemplatePageSchema)
    def get(self) -> dict[str, Any]:
        """Every template, by name."""
        return {"items": [t.state() for t in use_cases.list_templates(uow())], "next_cursor": None}

    @templates_blp.arguments(schemas.TemplateInSchema)
    @templates_blp.response(201, schemas.TemplateOutSchema)
    def post(self, data: dict[str, Any]) -> dict[str, Any]:
        """Create a template: a name and items (title, type, delay in days, responsible)."""
        return use_cases.create_template(uow(), data).state()


@templates_blp.route("/<uuid:template_id>")
class TemplateItem(MethodView):
    @templates_blp.response(200, schemas.TemplateOutSchema)
    def get(self, template_id: Any) -> dict[str, Any]:
        """Read a template."""
        return use_cases.get_template(uow(), str(template_id)).state()

    @templates_blp.arguments(schemas.TemplateInSchema(partial=True))
    @templates_blp.response(200, schemas.TemplateOutSchema)
    def patch(self, data: dict[str, Any], template_id: Any) -> dict[str, Any]:
        """Rename a template or give it other items."""
        return use_cases.update_template(uow(), str(template_id), data).state()

    @templates_blp.response(204)
    def delete(self, template_id: Any) -> None:
        """Delete a template."""
        use_cases.delete_template(uow(), str(template_id))


@templates_blp.route("/<uuid:template_id>/apply")
class Apply(MethodView):
    @templates_blp.arguments(schemas.ApplySchema)
    @templates_blp.response(201, schemas.TaskPageSchema)
    def post(self, data: dict[str, Any], template_id: Any) -> dict[str, Any]:
        """Create the template's tasks linked to the target, each due at 17:00 on base date (today) + delay."""
        tasks = use_cases.apply_template(uow(), str(template_id), data["target"], data.get("base_date"))
        return {"items": [task_view(task) for task in tasks], "next_cursor": None}


@spaces_blp.route("")
class Spaces(MethodView):
    @spaces_blp.response(200, schemas.SpacePageSchema)
    def get(self) -> dict[str, Any]:
        """Every space, by name."""
        return {"items": [s.state() for s in use_cases.list_spaces(uow())], "next_cursor": None}

    @spaces_blp.arguments(schemas.SpaceInSchema)
    @spaces_blp.response(201, schemas.SpaceOutSchema)
    def post(self, data: dict[str, Any]) -> dict[str, Any]:
        """Create a space; its creator is a member unless the members are given."""
        return use_cases.create_space(uow(), data).state()


@spaces_blp.route("/<uuid:space_id>")
class SpaceItem(MethodView):
    @spaces_blp.response(200, schemas.SpaceOutSchema)
    def get(self, space_id: Any) -> dict[str, Any]:
        """Read a space."""
        return use_cases.get_space(uow(), str(space_id)).state()

    @spaces_blp.arguments(schemas.SpaceInSchema(partial=True))
    @spaces_blp.response(200, schemas.SpaceOutSchema)
    def patch(self, data: dict[str, Any], space_id: Any) -> dict[str, Any]:
        """Rename a space or change its members."""
        return use_cases.update_space(uow(), str(space_id), data).state()

    @spaces_blp.response(204)
    def delete(self, space_id: Any) -> None:
        """Delete a space."""
        use_cases.delete_space(uow(), str(space_id))
