"""The contacts service's composition root for HTTP."""
from __future__ import annotations

from functools import partial

from flask import Flask

from crm_shared import auth, service_app
from crm_shared.config import Settings

from crm_contacts.api import exports, groups, registry
from crm_contacts.api.contacts import blueprints
from crm_contacts.context import ContactsContext, UsersFor
from crm_contacts.service_layer.unit_of_work import SERVICE, ContactsUnitOfWork


def create_app(settings: Settings | None = None, *, verifier: auth.TokenVerifier | None = None,
               users_for: UsersFor | None = None) -> Flask:
    """Build the contacts app: engine, unit-of-work factory, token verifier, register client, users, routes.

    `users_for(token)` is the directory owners are checked against (the gateway's users by default).
    """
    return service_app.create_app(
        settings or Settings.from_env(SERVICE), title="CRM contacts", verifier=verifier,
        blueprints=[*blueprints(), groups.blp, *exports.blueprints(), *registry.blueprints()],
        unit_of_work=ContactsUnitOfWork, context=partial(ContactsContext.build, users_for),
    )
