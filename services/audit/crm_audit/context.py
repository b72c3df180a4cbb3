"""What the audit views reach: the log's read use cases (the audit API only reads)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from crm_shared.service_app import ServiceContext

from crm_audit.queries import AuditQueries


@dataclass(frozen=True)
class AuditContext(ServiceContext):
    """The service context and the log's read use cases."""

    queries: AuditQueries | None = None

    @classmethod
    def build(cls, **kwargs: Any) -> "AuditContext":
        """Build the context with the queries over the app's engine."""
        return cls(queries=AuditQueries(kwargs["engine"]), **kwargs)
