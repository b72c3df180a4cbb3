"""The tasks service's composition root for HTTP."""
from __future__ import annotations

from flask import Flask

from crm_shared import auth, service_app
from crm_shared.config import Settings

from crm_tasks.api.catalog import settings_blp, statuses_blp, types_blp
from crm_tasks.api.sharing import feed_blp, sharing_blp
from crm_tasks.api.tasks import blp as tasks_blp
from crm_tasks.api.templates import spaces_blp, templates_blp
from crm_tasks.declaration import SERVICE
from crm_tasks.service_layer.unit_of_work import TasksUnitOfWork

#: the calendar feed is read without a token: its secret URL is the key
PUBLIC_PATHS = ("/api/v1/task-feed/",)


def create_app(settings: Settings | None = None, *, verifier: auth.TokenVerifier | None = None) -> Flask:
    """Build the tasks app: engine, unit-of-work factory, token verifier, routes."""
    return service_app.create_app(
        settings or Settings.from_env(SERVICE.name), title="CRM tasks", verifier=verifier,
        blueprints=[tasks_blp, types_blp, settings_blp, statuses_blp, sharing_blp, feed_blp, templates_blp,
                    spaces_blp],
        unit_of_work=TasksUnitOfWork, public_paths=PUBLIC_PATHS,
    )
