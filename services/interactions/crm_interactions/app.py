"""The interactions service's composition root for HTTP."""
from __future__ import annotations

from flask import Flask

from crm_shared import auth, service_app
from crm_shared.config import Settings
from crm_shared.uploads import MULTIPART_OVERHEAD

from crm_interactions.api.attachments import blp as attachments_blp
from crm_interactions.api.interactions import blp as interactions_blp
from crm_interactions.api.templates import rules_blp, templates_blp
from crm_interactions.context import InteractionsContext, max_attachment_bytes
from crm_interactions.declaration import SERVICE
from crm_interactions.service_layer.unit_of_work import InteractionsUnitOfWork


def create_app(settings: Settings | None = None, *, verifier: auth.TokenVerifier | None = None) -> Flask:
    """Build the interactions app: engine, unit-of-work factory, token verifier, file store, routes."""
    settings = settings or Settings.from_env(SERVICE.name)
    app = service_app.create_app(
        settings, title="CRM interactions", verifier=verifier,
        blueprints=[interactions_blp, templates_blp, rules_blp, attachments_blp],
        unit_of_work=InteractionsUnitOfWork, context=InteractionsContext,
    )
    # werkzeug refuses (413) a body past this while parsing it; the attachment view refuses earlier
    app.config["MAX_CONTENT_LENGTH"] = max_attachment_bytes(settings) + MULTIPART_OVERHEAD
    return app
