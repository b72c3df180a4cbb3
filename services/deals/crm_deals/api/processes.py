"""`/api/v1/processes` and `/api/v1/deal-sources`: the configuration deals are built on."""
from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint

from crm_shared.auth import require_role
from crm_shared.errors import NotFound
from crm_shared.schemas import PageArgsSchema
from crm_shared.service_app import uow

from crm_deals.api import schemas
from crm_deals.service_layer import processes as use_cases

processes_blp = Blueprint("processes", __name__, url_prefix="/api/v1/processes", description="Sales processes.")
sources_blp = Blueprint("deal-sources", __name__, url_prefix="/api/v1/deal-sources", description="Deal sources.")


@processes_blp.route("")
class Processes(MethodView):
    @processes_blp.arguments(PageArgsSchema, location="query")
    @processes_blp.response(200, schemas.ProcessListSchema)
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """List the sales processes, the default first, a page at a time."""
        items, next_cursor = use_cases.list_processes(uow(), limit=args["limit"], cursor=args.get("cursor"))
        return {"items": [process.state() for process in items], "next_cursor": next_cursor}

    @processes_blp.arguments(schemas.ProcessInSchema)
    @processes_blp.response(201, schemas.ProcessOutSchema)
    def post(self, data: dict[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
        """Create a sales process (admin or manager); stages in order."""
        require_role("admin", "manager")
        process = use_cases.create_process(uow(), data)
        return process.state(), {"Location": process.link}


@processes_blp.route("/<uuid:process_id>")
class Process(MethodView):
    @processes_blp.response(200, schemas.ProcessOutSchema)
    def get(self, process_id: Any) -> dict[str, Any]:
        """Read a sales process."""
        return use_cases.get_process(uow(), str(process_id)).state()

    @processes_blp.arguments(schemas.ProcessInSchema(partial=True))
    @processes_blp.response(200, schemas.ProcessOutSchema)
    def patch(self, data: dict[str, Any], process_id: Any) -> dict[str, Any]:
        """Rename it, or give the full stage list: ids kept are renamed/reordered, new names added, missing removed."""
        require_role("admin", "manager")
        return use_cases.update_process(uow(), str(process_id), data).state()


@sources_blp.route("")
class Sources(MethodView):
    @sources_blp.arguments(PageArgsSchema, location="query")
    @sources_blp.response(200, schemas.SourceListSchema)
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """List the acquisition sources a deal may name, in their order, a page at a time."""
        items, next_cursor = use_cases.list_sources(uow(), limit=args["limit"], cursor=args.get("cursor"))
        return {"items": items, "next_cursor": next_cursor}

    @sources_blp.arguments(schemas.SourceInSchema)
    @sources_blp.response(201, schemas.SourceOutSchema)
    def post(self, data: dict[str, Any]) -> dict[str, str]:
        """Add a source (admin)."""
        require_role("admin")
        return use_cases.add_source(uow(), data["name"])


@sources_blp.route("/<uuid:source_id>")
class Source(MethodView):
    @sources_blp.response(204)
    def delete(self, source_id: Any) -> None:
        """Remove a source (admin); deals keep the name they have."""
        require_role("admin")
        if not use_cases.remove_source(uow(), str(source_id)):
            raise NotFound(f"No deal source with id {source_id}.")
