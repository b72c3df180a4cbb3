"""What the audit views reach: the log's read use cases (the audit API only reads its own store) and
the services owning the records its entries link to (a restore changes them through their API)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from crm_shared.service_app import ServiceContext

from crm_audit.adapters.owners import HttpOwningServices
from crm_audit.queries import AuditQueries
from crm_audit.restoring import OwningServices


@dataclass(frozen=True)
class AuditContext(ServiceContext):
    """The service context, the log's read use cases and the owning services."""

    queries: AuditQueries | None = None
    owners: OwningServices | None = None

    @classmethod
    def build(cls, **kwargs: Any) -> "AuditContext":
        """Build the context with the queries over the app's engine and the owning services' clients."""
        return cls(queries=AuditQueries(kwargs["engine"]), owners=HttpOwningServices(kwargs["settings"].extra),
                   **kwargs)
