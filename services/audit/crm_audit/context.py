"""What the audit views reach: the log's read use cases (the audit API only reads its own store), the
services owning the records its entries link to (a restore changes them through their API), and the
stream tickets (the one thing the API writes, on an engine of their own)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.engine import Engine

from crm_shared import db
from crm_shared.service_app import ServiceContext
from crm_shared.ticket_store import TicketTransaction

from crm_audit.adapters.owners import HttpOwningServices
from crm_audit.adapters.tables import stream_tickets
from crm_audit.queries import AuditQueries
from crm_audit.restoring import OwningServices

#: the tickets' engine: a ticket is one short write, and a stream spends it once at connect
TICKET_POOL = {"pool_size": 1, "max_overflow": 1}


@dataclass(frozen=True)
class AuditContext(ServiceContext):
    """The service context, the log's read use cases, the owning services and the tickets' transactions."""

    queries: AuditQueries | None = None
    owners: OwningServices | None = None
    ticket_engine: Engine | None = None

    def tickets(self) -> TicketTransaction:
        """Return a transaction over the stream tickets, on their own writable engine."""
        assert self.ticket_engine is not None
        return TicketTransaction(self.ticket_engine, stream_tickets)

    @classmethod
    def build(cls, **kwargs: Any) -> "AuditContext":
        """Build the context: queries over the app's (read-only) engine, the owning services' clients, and
        a small writable engine for the tickets (built here, in the worker, like the app's)."""
        settings = kwargs["settings"]
        return cls(queries=AuditQueries(kwargs["engine"]), owners=HttpOwningServices(settings.extra),
                   ticket_engine=db.create_engine(settings.database_url, **TICKET_POOL), **kwargs)
