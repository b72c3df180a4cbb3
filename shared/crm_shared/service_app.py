"""The service kit's web side: one app factory, one typed context, one `uow()` for views.

    app = create_app(settings, title="CRM deals", blueprints=[…], unit_of_work=DealsUnitOfWork)

builds the engine, the token verifier, the readiness probe and the routes, and stores a
`ServiceContext` on the app once. A view then calls `uow()` for a fresh unit of work that
acts (events) and sees (visibility) as the caller, or `service_context()` for the rest.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Iterable, TypeVar

import flask_smorest
import sqlalchemy as sa
from flask import Flask, current_app
from sqlalchemy.engine import Engine

from crm_shared import api_docs, auth, db
from crm_shared.config import Settings
from crm_shared.sessions import verifier_from_settings
from crm_shared.unit_of_work import factory_of
from crm_shared.visibility import viewer_of
from crm_shared.problems import Forbidden
from crm_shared.web import RESTORES_ENTRY_HEADER, create_service_app, request_id, restores_entry

EXTENSION = "crm.service"

C = TypeVar("C", bound="ServiceContext")


@dataclass(frozen=True)
class ServiceContext:
    """What a service's views reach: its settings, its engine and its unit-of-work factory.

    A service with more to reach (a register client, a query object) subclasses it.
    """

    settings: Settings
    engine: Engine
    uow_factory: Callable[..., Any]


def service_context(kind: type[C] = ServiceContext) -> C:  # type: ignore[assignment]
    """Return the context of the current app (of the given kind)."""
    context = current_app.extensions[EXTENSION]
    assert isinstance(context, kind), f"the app's context is a {type(context).__name__}, not a {kind.__name__}"
    return context


def context_of(app: Flask) -> ServiceContext:
    """Return the context stored on a service's app (tests reach its engine through it)."""
    return app.extensions[EXTENSION]


def uows() -> Callable[[], Any]:
    """Return a factory of units of work acting and seeing as the caller (one per transaction).

    A request restoring an audit entry (`X-CRM-Restores-Entry`, sent by the audit service with an
    admin's token) names it on the events of its change; only an admin's request may.
    """
    principal = auth.current_principal()
    factory = service_context().uow_factory
    actor, viewer, correlation_id = principal.actor(), viewer_of(principal), request_id()
    restored = restores_entry()
    if restored and not principal.is_admin:
        raise Forbidden(f"Only an admin may send {RESTORES_ENTRY_HEADER}.")
    return lambda: factory(actor=actor, correlation_id=correlation_id, viewer=viewer, restores_entry=restored)


def uow() -> Any:
    """Return a fresh unit of work acting and seeing as the caller of this request."""
    return uows()()


def create_app(
    settings: Settings,
    *,
    title: str,
    blueprints: Iterable[flask_smorest.Blueprint],
    unit_of_work: Callable[..., Any] | None = None,
    context: Callable[..., ServiceContext] = ServiceContext,
    verifier: auth.TokenVerifier | None = None,
    engine: Engine | None = None,
    read_only: bool = False,
    public_paths: Iterable[str] = (),
    streams: Iterable[api_docs.StreamDoc] = (),
) -> Flask:
    """Build a service's app: engine, verifier, readiness, routes, and its context (stored once).

    `context(settings=…, engine=…, uow_factory=…)` builds the context; `unit_of_work` is the
    service's unit-of-work class (None for a service that only reads). `public_paths` are path
    prefixes served without a token (the views decide who may read them); `streams` the
    server-sent-event paths its live server answers (documented only).
    """
    engine = engine or db.create_engine(settings.database_url, read_only=read_only)
    verifier = verifier or verifier_from_settings(settings)

    def ready() -> None:
        with engine.connect() as connection:
            connection.execute(sa.text("SELECT 1"))

    app, _api = create_service_app(settings, title=title, blueprints=blueprints, verifier=verifier, readiness=ready,
                                    public_paths=public_paths, streams=streams)
    uow_factory = factory_of(unit_of_work, engine) if unit_of_work is not None else _no_writes
    app.extensions[EXTENSION] = context(settings=settings, engine=engine, uow_factory=uow_factory)
    return app


def _no_writes(**_: Any) -> Any:
    raise RuntimeError("this service has no unit of work")
