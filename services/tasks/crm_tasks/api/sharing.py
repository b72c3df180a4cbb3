"""`/api/v1/task-sharing`: what the caller shares of their tasks with whom; `/task-feed/{secret}.ics`."""
from __future__ import annotations

from typing import Any

from flask import Response
from flask.views import MethodView
from flask_smorest import Blueprint

from crm_shared.service_app import service_context, uow

from crm_tasks.api import schemas
from crm_tasks.service_layer import collaboration
from crm_tasks.service_layer.feed import render_feed

sharing_blp = Blueprint("task_sharing", __name__, url_prefix="/api/v1/task-sharing", description="Task sharing.")
feed_blp = Blueprint("task_feed", __name__, url_prefix="/api/v1/task-feed", description="Calendar feeds.")


@sharing_blp.route("")
class Shares(MethodView):
    @sharing_blp.response(200, schemas.SharePageSchema)
    def get(self) -> dict[str, Any]:
        """What the caller shares with each user."""
        return {"items": [s.as_dict() for s in collaboration.shares_given(uow())], "next_cursor": None}


@sharing_blp.route("/<uuid:user_id>")
class ShareItem(MethodView):
    @sharing_blp.arguments(schemas.ShareInSchema)
    @sharing_blp.response(200, schemas.ShareOutSchema)
    def put(self, data: dict[str, Any], user_id: Any) -> dict[str, Any]:
        """Share the caller's tasks with a user: none, free_busy, read or full, in general and per type."""
        return collaboration.put_share(uow(), str(user_id), data).as_dict()


@feed_blp.route("/<string:secret>.ics")
class CalendarFeed(MethodView):
    @feed_blp.response(200)
    def get(self, secret: str) -> Response:
        """The calendar of the user whose secret this is (no token: the URL is the key); unknown → 404."""
        factory = service_context().uow_factory
        body = render_feed(lambda **kwargs: factory(**kwargs), secret)
        return Response(body, mimetype="text/calendar", headers={"Cache-Control": "private, no-store"})
