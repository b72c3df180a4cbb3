"""The Unit of Work: one transaction, and the events it commits into the outbox.

A service subclasses `UnitOfWork` with its service name and outbox table as class keywords,
and declares each repository as an annotated attribute (`tasks: TaskRepository`): each
transaction builds that class on its connection. A repository built otherwise goes into
`repositories` (attribute → factory of the connection); `_open()` may attach more.
The same class serves an HTTP request (its own transaction)
and a consumer's handler (`bound to` the consumer's transaction, see `bind`), so a use
case is written once: `with uow: … uow.emit(…); uow.commit()`.
"""
from __future__ import annotations

import inspect
import uuid
from types import TracebackType
from typing import Any, Callable, ClassVar, TypeVar

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from crm_shared import outbox, tracing
from crm_shared.acting import Acting
from crm_shared.db import READ_ONLY
from crm_shared.envelope import SYSTEM, Actor, CloudEvent, wrap
from crm_shared.events import ObjectChanged
from crm_shared.types import utcnow
from crm_shared.visibility import SYSTEM_VIEWER, Viewer

T = TypeVar("T", bound="Transaction")


class Transaction:
    """Own one database transaction: opened on enter, rolled back on exit unless committed.

    Bound to a connection that already runs a transaction (a consumer's), each `with`
    block is a savepoint instead: `commit()` releases it, leaving the outer commit to its owner.
    """

    def __init__(self, engine: Engine | None = None, *, connection: Connection | None = None,
                 viewer: Viewer = SYSTEM_VIEWER) -> None:
        self.engine = engine
        self.viewer = viewer
        self._read_only = False
        self._bound = connection
        self.connection: Connection
        if connection is not None:
            self.connection = connection
            self._open()

    def reading(self: T) -> T:
        """Mark this unit as read-only (`with uow.reading():`): it takes no write lock."""
        self._read_only = True
        return self

    def __enter__(self: T) -> T:
        if self._bound is not None:
            self._transaction = self._bound.begin_nested()
            return self
        assert self.engine is not None, "a unit of work needs an engine or a connection"
        self.connection = self.engine.connect()
        if self._read_only:
            self.connection = self.connection.execution_options(**{READ_ONLY: True})
        self._transaction = self.connection.begin()
        self._open()
        return self

    #: the repositories each transaction attaches: attribute name → class built on the connection
    repositories: ClassVar[dict[str, Callable[[Connection], Any]]] = {}

    def _open(self) -> None:
        """Attach the `repositories` to `self.connection` (a subclass may attach more)."""
        for name, repository in self.repositories.items():
            setattr(self, name, repository(self.connection))

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        try:
            if self._transaction.is_active:
                self._transaction.rollback()
        finally:
            if self._bound is None:
                self.connection.close()

    def commit(self) -> None:
        """Make the changes of this transaction permanent (bound: part of the outer transaction)."""
        self._transaction.commit()


class UnitOfWork(Acting, Transaction):
    """A transaction that, on commit, writes the events it collected into the outbox.

    A new instance serves one request or one message. A subclass names its `service` and its
    `outbox` table as class keywords (or each instance is given them). Each event goes out as the
    `actor` of the moment it was emitted (`with uow.acting_as(actor):` changes it for a block). `restores_entry` names the
    audit entry a restore puts back (the request's `X-CRM-Restores-Entry`); its events carry it.
    """

    service: ClassVar[str] = ""
    outbox_table: ClassVar[sa.Table | None] = None

    def __init_subclass__(cls, *, service: str | None = None, outbox: sa.Table | None = None, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if service is not None:
            cls.service = service
        if outbox is not None:
            cls.outbox_table = outbox
        inherited = getattr(super(cls, cls), "repositories", {})
        cls.repositories = {**inherited, **_annotated_repositories(cls), **cls.__dict__.get("repositories", {})}

    def __init__(
        self,
        engine: Engine | None = None,
        outbox_table: sa.Table | None = None,
        *,
        service: str | None = None,
        actor: Actor = SYSTEM,
        correlation_id: str | None = None,
        viewer: Viewer = SYSTEM_VIEWER,
        connection: Connection | None = None,
        restores_entry: str = "",
    ) -> None:
        self._outbox = outbox_table if outbox_table is not None else type(self).outbox_table
        self._service = service or type(self).service
        self.actor = actor
        self.correlation_id = correlation_id or str(uuid.uuid4())
        #: the trace the events continue: a consumer's cause's, else the current span's (tracing)
        self.traceparent = ""
        self.restores_entry = restores_entry
        self._events: list[tuple[ObjectChanged, Actor]] = []
        self._erased: list[str] = []
        super().__init__(engine, connection=connection, viewer=viewer)

    @property
    def service_name(self) -> str:
        """Return the service whose outbox this unit writes."""
        return self._service

    def caused_by(self, event: CloudEvent) -> "UnitOfWork":
        """Correlate the events emitted next with the event that caused them (consumers)."""
        self.correlation_id = event.correlationid or event.id
        self.traceparent = event.traceparent
        return self

    def emit(self, event: ObjectChanged) -> None:
        """Queue an event to be committed with this transaction, as the current actor."""
        self._events.append((event, self.actor))

    def erase_published(self, subject_id: str) -> None:
        """Drop, with this transaction, the published events of the outbox that name an erased
        subject (`crm_shared.outbox.drop_published_naming`); the unpublished ones are still delivered."""
        self._erased.append(subject_id)

    def commit(self) -> None:
        """Write the queued events to the outbox and commit everything at once."""
        now = utcnow()
        traceparent = (self.traceparent or tracing.current_traceparent()) if self._events else ""
        envelopes = [
            wrap(event, service=self._service, actor=actor, correlation_id=self.correlation_id, time=now,
                 traceparent=traceparent, restores_entry=self.restores_entry)
            for event, actor in self._events
        ]
        if envelopes:
            assert self._outbox is not None, f"{type(self).__name__} has no outbox table"
            outbox.append(self.connection, self._outbox, envelopes, self._service)
        for subject_id in self._erased:
            assert self._outbox is not None, f"{type(self).__name__} has no outbox table"
            outbox.drop_published_naming(self.connection, self._outbox, subject_id)
        super().commit()
        self._events, self._erased = [], []


def _annotated_repositories(cls: type) -> dict[str, Callable[[Connection], Any]]:
    """The repositories a class declares by annotation (`tasks: TaskRepository`), each built on the
    connection; class-level settings (`ClassVar[...]`) are not classes and stay out."""
    found = inspect.get_annotations(cls, eval_str=True)
    return {name: kind for name, kind in found.items() if isinstance(kind, type)}


UnitOfWorkFactory = Callable[..., Any]


def factory_of(cls: Callable[..., T], engine: Engine) -> Callable[..., T]:
    """Return a factory of fresh units of work of `cls` on `engine`, one per request or message.

    The factory takes the unit's keywords: `actor`, `correlation_id`, `viewer`, `restores_entry`.
    """

    def make(**kwargs: Any) -> T:
        return cls(engine, **kwargs)

    return make


def bind(cls: Callable[..., T]) -> Callable[[Connection], T]:
    """Return the consumers' factory: a unit of work of `cls` bound to the consumer's transaction."""

    def make(connection: Connection) -> T:
        return cls(connection=connection)

    return make
