"""The Unit of Work: one transaction, and the events it commits into the outbox."""
from __future__ import annotations

import uuid
from types import TracebackType
from typing import Callable

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from crm_shared import outbox
from crm_shared.db import READ_ONLY
from crm_shared.envelope import SYSTEM, Actor, wrap
from crm_shared.events import ObjectChanged
from crm_shared.types import utcnow


class Transaction:
    """Own one database transaction: opened on enter, rolled back on exit unless committed.

    Services subclass it and attach their repositories to `self.connection` in `_open()`.
    """

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._read_only = False
        self.connection: Connection

    def reading(self) -> "Transaction":
        """Mark this unit as read-only (`with uow.reading():`): it takes no write lock."""
        self._read_only = True
        return self

    def __enter__(self) -> "Transaction":
        self.connection = self.engine.connect()
        if self._read_only:
            self.connection = self.connection.execution_options(**{READ_ONLY: True})
        self._transaction = self.connection.begin()
        self._open()
        return self

    def _open(self) -> None:
        """Attach repositories to `self.connection`; overridden by services."""

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        try:
            if self._transaction.is_active:
                self._transaction.rollback()
        finally:
            self.connection.close()

    def commit(self) -> None:
        """Make the changes of this transaction permanent."""
        self._transaction.commit()


class UnitOfWork(Transaction):
    """A transaction that, on commit, writes the events it collected into the outbox.

    A new instance serves one request or one message.
    """

    def __init__(
        self,
        engine: Engine,
        outbox_table: sa.Table,
        *,
        service: str,
        actor: Actor = SYSTEM,
        correlation_id: str | None = None,
    ) -> None:
        super().__init__(engine)
        self.outbox_table = outbox_table
        self.service = service
        self.actor = actor
        self.correlation_id = correlation_id or str(uuid.uuid4())
        self._events: list[ObjectChanged] = []

    def emit(self, event: ObjectChanged) -> None:
        """Queue an event to be committed with this transaction."""
        self._events.append(event)

    def commit(self) -> None:
        """Write the queued events to the outbox and commit everything at once."""
        now = utcnow()
        envelopes = [
            wrap(event, service=self.service, actor=self.actor, correlation_id=self.correlation_id, time=now)
            for event in self._events
        ]
        outbox.append(self.connection, self.outbox_table, envelopes, self.service)
        super().commit()
        self._events = []


UnitOfWorkFactory = Callable[..., UnitOfWork]
