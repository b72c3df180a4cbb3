"""`/api/v1/task-types`, `/task-settings`, `/task-statuses`: what admins configure."""
from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint

from crm_shared.auth import require_role
from crm_shared.service_app import uow

from crm_tasks.api import schemas
from crm_tasks.service_layer import catalog_admin as use_cases

types_blp = Blueprint("task_types", __name__, url_prefix="/api/v1/task-types", description="Task types.")
settings_blp = Blueprint("task_settings", __name__, url_prefix="/api/v1/task-settings", description="Task settings.")
statuses_blp = Blueprint("task_statuses", __name__, url_prefix="/api/v1/task-statuses", description="Task statuses.")


@types_blp.route("")
class Types(MethodView):
    @types_blp.response(200, schemas.TaskTypePageSchema)
    def get(self) -> dict[str, Any]:
        """Every task type, in the order they were added."""
        return {"items": [t.state() for t in use_cases.list_types(uow())], "next_cursor": None}

    @types_blp.arguments(schemas.TaskTypeInSchema)
    @types_blp.response(201, schemas.TaskTypeOutSchema)
    def post(self, data: dict[str, Any]) -> dict[str, Any]:
        """Add a type (admin), optionally with a "suggest next" rule."""
        require_role("admin")
        return use_cases.create_type(uow(), data).state()


@types_blp.route("/<uuid:type_id>")
class TypeItem(MethodView):
    @types_blp.arguments(schemas.TaskTypeInSchema(partial=True))
    @types_blp.response(200, schemas.TaskTypeOutSchema)
    def patch(self, data: dict[str, Any], type_id: Any) -> dict[str, Any]:
        """Rename a type or change its rule (admin)."""
        require_role("admin")
        return use_cases.update_type(uow(), str(type_id), data).state()

    @types_blp.response(204)
    def delete(self, type_id: Any) -> None:
        """Remove a type (admin); one in use by a task, template or rule is 409."""
        require_role("admin")
        use_cases.delete_type(uow(), str(type_id))


@settings_blp.route("")
class Settings(MethodView):
    @settings_blp.response(200, schemas.SettingsSchema)
    def get(self) -> dict[str, Any]:
        """The task settings."""
        return use_cases.get_settings(uow()).as_dict()

    @settings_blp.arguments(schemas.SettingsSchema(partial=True))
    @settings_blp.response(200, schemas.SettingsSchema)
    def patch(self, data: dict[str, Any]) -> dict[str, Any]:
        """Turn statuses on or off (admin)."""
        require_role("admin")
        return use_cases.update_settings(uow(), data).as_dict()


@statuses_blp.route("")
class Statuses(MethodView):
    @statuses_blp.response(200, schemas.StatusPageSchema)
    def get(self) -> dict[str, Any]:
        """The statuses in their order."""
        return {"items": [s.as_dict() for s in use_cases.list_statuses(uow())], "next_cursor": None}

    @statuses_blp.arguments(schemas.StatusInSchema)
    @statuses_blp.response(201, schemas.StatusOutSchema)
    def post(self, data: dict[str, Any]) -> dict[str, Any]:
        """Add a status after the others (admin)."""
        require_role("admin")
        return use_cases.create_status(uow(), data["name"]).as_dict()


@statuses_blp.route("/order")
class StatusOrder(MethodView):
    @statuses_blp.arguments(schemas.StatusOrderSchema)
    @statuses_blp.response(200, schemas.StatusPageSchema)
    def put(self, data: dict[str, Any]) -> dict[str, Any]:
        """Put the statuses in this order (admin): every current id exactly once."""
        require_role("admin")
        return {"items": [s.as_dict() for s in use_cases.reorder_statuses(uow(), data["ids"])], "next_cursor": None}


@statuses_blp.route("/<uuid:status_id>")
class StatusItem(MethodView):
    @statuses_blp.arguments(schemas.StatusInSchema)
    @statuses_blp.response(200, schemas.StatusOutSchema)
    def patch(self, data: dict[str, Any], status_id: Any) -> dict[str, Any]:
        """Rename a status (admin)."""
        require_role("admin")
        return use_cases.rename_status(uow(), str(status_id), data["name"]).as_dict()

    @statuses_blp.response(204)
    def delete(self, status_id: Any) -> None:
        """Remove a status (admin); one a task is in is 409."""
        require_role("admin")
        use_cases.delete_status(uow(), str(status_id))
