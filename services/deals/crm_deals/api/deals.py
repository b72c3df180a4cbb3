"""`/api/v1/deals`: deals, their links, their closing and reopening, lists and the pipeline summary."""
from __future__ import annotations

from typing import Any

from flask import Response, request
from flask.views import MethodView
from flask_smorest import Blueprint

from crm_shared.auth import bearer_token
from crm_shared.pagination import keyset_list
from crm_shared.preconditions import etag, matches
from crm_shared.schemas import page_schema
from crm_shared.service_app import service_context, uow
from crm_shared.users import UserDirectory

from crm_deals.context import DealsContext

from crm_deals.api import schemas
from crm_deals.domain.deal_query import DealQuery
from crm_deals.domain.deals import Deal
from crm_deals.service_layer import deals as use_cases
from crm_deals.service_layer.pipeline import summary

blp = Blueprint("deals", __name__, url_prefix="/api/v1/deals", description="Deals.")


def _present(deal: Deal, status: int = 200) -> tuple[dict[str, Any], int, dict[str, str]]:
    return deal.state(), status, {"ETag": etag(deal.version)}


def _users() -> UserDirectory:
    """Return the suite's users as the caller may look them up (owners are checked against them)."""
    return service_context(DealsContext).users_for(bearer_token())


@blp.route("")
class Deals(MethodView):
    @blp.arguments(schemas.DealListArgsSchema, location="query")
    @blp.response(200, page_schema(schemas.DealOutSchema))
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """List visible deals by status, process, stage, owner, linked contact and close dates; keyset pages."""
        return keyset_list(use_cases.list_deals, uow(), DealQuery, args, Deal.state)

    @blp.arguments(schemas.DealInSchema)
    @blp.response(201, schemas.DealOutSchema)
    def post(self, data: dict[str, Any]) -> tuple[dict[str, Any], int, dict[str, str]]:
        """Create a deal (in the default process unless `process_id` names one)."""
        deal = use_cases.create_deal(uow(), data, users=_users())
        state, status, headers = _present(deal, 201)
        return state, status, {**headers, "Location": deal.link}


@blp.route("/summary")
class Summary(MethodView):
    @blp.arguments(schemas.SummaryArgsSchema, location="query")
    @blp.response(200, schemas.SummarySchema)
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """Count and total value per stage of a process (the default one unless named)."""
        process_id = args.pop("process_id", None)
        return summary(uow(), process_id, DealQuery(**args))


@blp.route("/<uuid:deal_id>")
class Item(MethodView):
    @blp.response(200, schemas.DealOutSchema)
    def get(self, deal_id: Any) -> Any:
        """Read a deal; If-None-Match with its current ETag answers 304."""
        deal = use_cases.get_deal(uow(), str(deal_id))
        if matches(request.headers.get("If-None-Match"), deal.version):
            return Response(status=304, headers={"ETag": etag(deal.version)})
        return _present(deal)

    @blp.arguments(schemas.DealInSchema(partial=True))
    @blp.response(200, schemas.DealOutSchema)
    def patch(self, data: dict[str, Any], deal_id: Any) -> Any:
        """Change some fields; `links` and `products` replace the whole list."""
        return _present(use_cases.update_deal(uow(), str(deal_id), data, if_match=request.headers.get("If-Match"),
                                              users=_users()))

    @blp.response(204)
    def delete(self, deal_id: Any) -> None:
        """Delete a deal for good."""
        use_cases.delete_deal(uow(), str(deal_id), if_match=request.headers.get("If-Match"))


@blp.route("/<uuid:deal_id>/links")
class Links(MethodView):
    @blp.arguments(schemas.LinkInSchema)
    @blp.response(200, schemas.DealOutSchema)
    def post(self, data: dict[str, Any], deal_id: Any) -> Any:
        """Link a person or company."""
        return _present(use_cases.add_link(uow(), str(deal_id), data))


@blp.route("/<uuid:deal_id>/links/<uuid:contact_id>")
class LinkItem(MethodView):
    @blp.response(200, schemas.DealOutSchema)
    def delete(self, deal_id: Any, contact_id: Any) -> Any:
        """Unlink a person or company."""
        return _present(use_cases.remove_link(uow(), str(deal_id), str(contact_id)))


@blp.route("/<uuid:deal_id>/won")
class Won(MethodView):
    @blp.response(200, schemas.DealOutSchema)
    def post(self, deal_id: Any) -> Any:
        """Close the deal as won."""
        return _present(use_cases.win(uow(), str(deal_id)))


@blp.route("/<uuid:deal_id>/lost")
class Lost(MethodView):
    @blp.arguments(schemas.LostSchema)
    @blp.response(200, schemas.DealOutSchema)
    def post(self, data: dict[str, Any], deal_id: Any) -> Any:
        """Close the deal as lost, with the reason."""
        return _present(use_cases.lose(uow(), str(deal_id), data["reason"]))


@blp.route("/<uuid:deal_id>/reopen")
class Reopen(MethodView):
    @blp.arguments(schemas.ReopenSchema)
    @blp.response(200, schemas.DealOutSchema)
    def post(self, data: dict[str, Any], deal_id: Any) -> Any:
        """Open a closed deal again (optionally in another stage of its process)."""
        return _present(use_cases.reopen(uow(), str(deal_id), data.get("stage_id")))
