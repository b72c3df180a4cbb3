"""`/api/v1/tasks`: tasks, completing and reopening them, suggestions, comments, the calendar feed's secret."""
from __future__ import annotations

from typing import Any

from flask import Response, request
from flask.views import MethodView
from flask_smorest import Blueprint

from crm_shared.pagination import keyset_list
from crm_shared.preconditions import etag, matches
from crm_shared.service_app import uow

from crm_tasks.api import schemas
from crm_tasks.domain.sharing import FULL
from crm_tasks.domain.task_query import TaskQuery
from crm_tasks.domain.tasks import Task
from crm_tasks.service_layer import collaboration, tasks as use_cases
from crm_tasks.service_layer.feed import rotate_feed

blp = Blueprint("tasks", __name__, url_prefix="/api/v1/tasks", description="Tasks.")


def _present(task: Task, level: str = FULL, status: int = 200) -> tuple[dict[str, Any], int, dict[str, str]]:
    return use_cases.task_view(task, level), status, {"ETag": etag(task.version)}


@blp.route("")
class Tasks(MethodView):
    @blp.arguments(schemas.TaskListArgsSchema, location="query")
    @blp.response(200, schemas.TaskPageSchema)
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """List the tasks the caller may see (each as the sharing rule shows it), newest first; keyset pages."""
        return keyset_list(use_cases.list_tasks, uow(), TaskQuery, args)

    @blp.arguments(schemas.TaskInSchema)
    @blp.response(201, schemas.TaskOutSchema)
    def post(self, data: dict[str, Any]) -> Any:
        """Create a task; the caller is responsible unless `responsible_id` names another user."""
        task = use_cases.create_task(uow(), data)
        body, status, headers = _present(task, status=201)
        return body, status, {**headers, "Location": task.link}


@blp.route("/<uuid:task_id>")
class Item(MethodView):
    @blp.response(200, schemas.TaskOutSchema)
    def get(self, task_id: Any) -> Any:
        """Read a task as the caller may see it; If-None-Match with its current ETag answers 304."""
        task, level = use_cases.get_task(uow(), str(task_id))
        if matches(request.headers.get("If-None-Match"), task.version):
            return Response(status=304, headers={"ETag": etag(task.version)})
        return _present(task, level)

    @blp.arguments(schemas.TaskInSchema(partial=True))
    @blp.response(200, schemas.TaskOutSchema)
    def patch(self, data: dict[str, Any], task_id: Any) -> Any:
        """Change some fields (full access needed); `links` replaces the whole list; stale If-Match is 412."""
        return _present(use_cases.update_task(uow(), str(task_id), data, if_match=request.headers.get("If-Match")))

    @blp.response(204)
    def delete(self, task_id: Any) -> None:
        """Delete a task for good (full access needed)."""
        use_cases.delete_task(uow(), str(task_id), if_match=request.headers.get("If-Match"))


@blp.route("/<uuid:task_id>/complete")
class Complete(MethodView):
    @blp.response(200, schemas.CompletedSchema)
    def post(self, task_id: Any) -> dict[str, Any]:
        """Mark the task done; answer it and what its type suggests next (or null)."""
        task, suggestion = use_cases.complete_task(uow(), str(task_id))
        return {"task": use_cases.task_view(task), "suggestion": suggestion.as_dict() if suggestion else None}


@blp.route("/<uuid:task_id>/reopen")
class Reopen(MethodView):
    @blp.response(200, schemas.TaskOutSchema)
    def post(self, task_id: Any) -> Any:
        """Open a done task again."""
        return _present(use_cases.reopen_task(uow(), str(task_id)))


@blp.route("/<uuid:task_id>/suggestion")
class Suggestion(MethodView):
    @blp.arguments(schemas.SuggestionOverridesSchema)
    @blp.response(201, schemas.TaskOutSchema)
    def post(self, data: dict[str, Any], task_id: Any) -> Any:
        """Create the suggested next task of a done task: due = its completion + the rule's delay, same links."""
        return _present(use_cases.accept_suggestion(uow(), str(task_id), data), status=201)


@blp.route("/<uuid:task_id>/comments")
class Comments(MethodView):
    @blp.response(200, schemas.CommentPageSchema)
    def get(self, task_id: Any) -> dict[str, Any]:
        """The comments of a task the caller may read, oldest first."""
        comments = collaboration.list_comments(uow(), str(task_id))
        return {"items": [comment.as_dict() for comment in comments], "next_cursor": None}

    @blp.arguments(schemas.CommentInSchema)
    @blp.response(201, schemas.CommentOutSchema)
    def post(self, data: dict[str, Any], task_id: Any) -> dict[str, Any]:
        """Comment on a task (full access needed); an incoming activity of its responsible user."""
        return collaboration.add_comment(uow(), str(task_id), data["text"]).as_dict()


@blp.route("/feed")
class Feed(MethodView):
    @blp.response(201, schemas.FeedSchema)
    def post(self) -> dict[str, Any]:
        """Make the caller a new secret calendar URL (.ics); the previous one stops working."""
        path = rotate_feed(uow())
        return {"path": path, "url": request.host_url.rstrip("/") + path}
