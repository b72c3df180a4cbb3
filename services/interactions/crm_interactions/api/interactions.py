"""`/api/v1/interactions`: logging entries, the log and its filters, cancel / restore / process, deleting
canceled entries, statistics."""
from __future__ import annotations

from typing import Any

from flask import request
from flask.views import MethodView
from flask_smorest import Blueprint

from crm_shared.pagination import keyset_list
from crm_shared.preconditions import etag
from crm_shared.service_app import uow

from crm_interactions.api import schemas
from crm_interactions.domain.entries import Entry as LoggedEntry
from crm_interactions.domain.query import EntryQuery
from crm_interactions.service_layer import cleanup, log

blp = Blueprint("interactions", __name__, url_prefix="/api/v1/interactions", description="The interaction log.")


def _present(entry: LoggedEntry, status: int = 200) -> tuple[dict[str, Any], int, dict[str, str]]:
    return entry.state(), status, {"ETag": etag(entry.version)}


def _if_match() -> str | None:
    return request.headers.get("If-Match")


@blp.route("")
class Entries(MethodView):
    @blp.arguments(schemas.EntryListArgsSchema, location="query")
    @blp.response(200, schemas.EntryPageSchema)
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """List the entries about contacts the caller sees, newest first; keyset pages."""
        return keyset_list(log.list_entries, uow(), EntryQuery, args, LoggedEntry.state)

    @blp.arguments(schemas.LogInSchema)
    @blp.response(201, schemas.EntryItemsSchema)
    def post(self, data: dict[str, Any]) -> dict[str, Any]:
        """Log an entry for a contact, or one per member of a group (`group_id`); the template's settings are
        copied and any of them may be overridden."""
        return {"items": [entry.state() for entry in log.log_interactions(uow(), data)]}


@blp.route("/inbound")
class Inbound(MethodView):
    @blp.arguments(schemas.InboundInSchema)
    @blp.response(201, schemas.EntryOutSchema)
    def post(self, data: dict[str, Any]) -> Any:
        """Record an inbound call, missed call, email, chat or payment: initiated by the contact, not processed."""
        return _present(log.record_inbound(uow(), data), 201)


@blp.route("/statistics")
class Statistics(MethodView):
    @blp.arguments(schemas.StatisticsArgsSchema, location="query")
    @blp.response(200, schemas.StatisticsSchema)
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """Count, total cost and total duration of the logged entries (per template, contact, …), by method and
        by initiator."""
        return log.statistics(uow(), EntryQuery(**args)).as_dict()


@blp.route("/delete-canceled")
class DeleteCanceled(MethodView):
    @blp.arguments(schemas.DeleteCanceledSchema)
    @blp.response(200, schemas.DeletionSchema)
    def post(self, data: dict[str, Any]) -> dict[str, Any]:
        """Delete the canceled entries the filters match, as one audited operation; `dry_run` only counts.
        Entries that are not canceled are never deleted (`ids` naming one: 409, nothing deleted)."""
        dry_run = data.pop("dry_run", False)
        ids = data.pop("ids", None)
        query = EntryQuery(**data, ids=tuple(ids) if ids is not None else None)
        return cleanup.delete_canceled(uow(), query, dry_run=dry_run).as_dict()


@blp.route("/<uuid:entry_id>")
class Entry(MethodView):
    @blp.response(200, schemas.EntryOutSchema)
    def get(self, entry_id: Any) -> Any:
        """Read an entry about a contact the caller sees (with its ETag)."""
        return _present(log.get_entry(uow(), str(entry_id)))

    @blp.response(204)
    def delete(self, entry_id: Any) -> None:
        """Delete a canceled entry (409 when it is not canceled)."""
        cleanup.delete_entry(uow(), str(entry_id), _if_match())


@blp.route("/<uuid:entry_id>/cancel")
class Cancel(MethodView):
    @blp.response(200, schemas.EntryOutSchema)
    def post(self, entry_id: Any) -> Any:
        """Cancel a logged entry (409 when canceled already)."""
        return _present(log.cancel_entry(uow(), str(entry_id), _if_match()))


@blp.route("/<uuid:entry_id>/restore")
class Restore(MethodView):
    @blp.response(200, schemas.EntryOutSchema)
    def post(self, entry_id: Any) -> Any:
        """Restore a canceled entry (409 when it is not canceled)."""
        return _present(log.restore_entry(uow(), str(entry_id), _if_match()))


@blp.route("/<uuid:entry_id>/processed")
class Processed(MethodView):
    @blp.response(200, schemas.EntryOutSchema)
    def post(self, entry_id: Any) -> Any:
        """Mark an inbound entry processed (the counters' Incoming drops it); again changes nothing."""
        return _present(log.mark_processed(uow(), str(entry_id), _if_match()))
