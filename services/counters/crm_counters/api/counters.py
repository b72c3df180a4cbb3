"""`/api/v1/counters…`: one's own counts, others' (managers, admins), per record, settings, tickets, rebuild."""
from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint

from crm_shared.auth import bearer_token, current_principal
from crm_shared.errors import NotFound
from crm_shared.schemas import StreamTicketSchema
from crm_shared.service_app import service_context, uow
from crm_shared.types import utcnow

from crm_counters.api import schemas
from crm_counters.context import CountersContext
from crm_counters.service_layer import counting, rebuild, settings, tickets

blp = Blueprint("counters", __name__, url_prefix="/api/v1/counters",
                description="Incoming and Planned counters, live (`GET /counters/stream`).")


@blp.route("/me")
class Mine(MethodView):
    @blp.response(200, schemas.CountersSchema)
    def get(self) -> dict[str, Any]:
        """The caller's counters with their breakdown."""
        return counting.read_counts(uow(), current_principal().id, utcnow())


@blp.route("/me/records")
class MyRecords(MethodView):
    @blp.response(200, schemas.RecordsSchema)
    def get(self) -> dict[str, Any]:
        """The records the caller's counted activities belong to, each with its counts."""
        return counting.read_records(uow(), utcnow())


@blp.route("/users/<string(maxlength=64):user_id>")
class Theirs(MethodView):
    @blp.response(200, schemas.CountersSchema)
    def get(self, user_id: str) -> dict[str, Any]:
        """Another user's counters: a manager's team member's, anyone's for an admin; 404 for others."""
        unit = uow()
        if unit.viewer.role == "admin" and user_id != unit.viewer.id and \
                not service_context(CountersContext).people.exists(bearer_token(), user_id):
            raise NotFound(f"No counters of a user with id {user_id}.")
        return counting.read_counts(unit, user_id, utcnow())


@blp.route("/team")
class Team(MethodView):
    @blp.response(200, schemas.TeamSchema)
    def get(self) -> dict[str, Any]:
        """The counters of every user the caller may see: their own and their team's; everyone's for an admin."""
        unit = uow()
        everyone = service_context(CountersContext).people.active_ids(bearer_token()) \
            if unit.viewer.role == "admin" else []
        return {"items": counting.read_team(unit, everyone, utcnow())}


@blp.route("/settings")
class Settings(MethodView):
    @blp.response(200, schemas.SettingsSchema)
    def get(self) -> dict[str, Any]:
        """The caller's settings in force, and the global and their own values they come from."""
        return settings.read_settings(uow())

    @blp.arguments(schemas.SettingsInSchema)
    @blp.response(200, schemas.SettingsSchema)
    def patch(self, data: dict[str, Any]) -> dict[str, Any]:
        """Change everyone's window or counting mode (admin)."""
        return settings.change_global(uow(), data, utcnow())


@blp.route("/settings/me")
class OwnSettings(MethodView):
    @blp.arguments(schemas.OwnSettingsInSchema)
    @blp.response(200, schemas.SettingsSchema)
    def patch(self, data: dict[str, Any]) -> dict[str, Any]:
        """Change the caller's own window or mode; null gives it back to the global one."""
        return settings.change_own(uow(), data, utcnow())


@blp.route("/stream-ticket")
class StreamTicket(MethodView):
    @blp.response(201, StreamTicketSchema)
    def post(self) -> dict[str, Any]:
        """A single-use ticket, valid for a minute, to open `GET /counters/stream?ticket=…` without a header."""
        return tickets.issue_ticket(uow(), utcnow())


@blp.route("/rebuild")
class Rebuild(MethodView):
    @blp.response(200, schemas.RebuildSchema)
    def post(self) -> dict[str, Any]:
        """Recompute every counted activity from the service's copies (admin)."""
        return rebuild.rebuild(uow(), utcnow())


@blp.route("/reconcile")
class Reconcile(MethodView):
    @blp.response(200, schemas.ReconcileSchema)
    def get(self) -> dict[str, Any]:
        """Compare the stored counted activities and counts with a recomputation; list every mismatch (admin)."""
        return rebuild.reconcile(uow(), utcnow())
