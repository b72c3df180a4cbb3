"""The contacts service's composition root for HTTP."""
from __future__ import annotations

from functools import partial

from flask import Flask

from crm_shared import auth, service_app
from crm_shared.config import Settings
from crm_shared.uploads import MULTIPART_OVERHEAD

from crm_contacts.api import exports, groups, imports, registry
from crm_contacts.api.contacts import blueprints
from crm_contacts.context import ContactsContext, UsersFor, max_import_bytes
from crm_contacts.declaration import SERVICE
from crm_contacts.service_layer.unit_of_work import ContactsUnitOfWork


def create_app(settings: Settings | None = None, *, verifier: auth.TokenVerifier | None = None,
               users_for: UsersFor | None = None) -> Flask:
    """Build the contacts app: engine, unit-of-work factory, token verifier, register client, users, routes.

    `users_for(token)` is the directory owners are checked against (the gateway's users by default).
    """
    settings = settings or Settings.from_env(SERVICE.name)
    app = service_app.create_app(
        settings, title="CRM contacts", verifier=verifier,
        blueprints=[*blueprints(), groups.blp, imports.blp, *exports.blueprints(), *registry.blueprints()],
        unit_of_work=ContactsUnitOfWork, context=partial(ContactsContext.build, users_for),
    )
    # werkzeug refuses (413) a body past this while parsing it; the import views refuse earlier
    app.config["MAX_CONTENT_LENGTH"] = max_import_bytes(settings) + MULTIPART_OVERHEAD
    return app
