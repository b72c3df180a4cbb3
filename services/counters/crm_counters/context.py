"""What the counters views reach besides the unit of work: the suite's users."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from crm_shared.service_app import ServiceContext


@dataclass(frozen=True)
class CountersContext(ServiceContext):
    """The service context and the gateway's users (who exists; everyone, for an admin's team view)."""

    people: Any = None

    @classmethod
    def build(cls, people: Any = None, **kwargs: Any) -> "CountersContext":
        """Build the context with the gateway's users (or the ones given)."""
        from crm_shared.sessions import gateway_url

        from crm_counters.adapters.users import GatewayPeople

        return cls(people=people or GatewayPeople(gateway_url(kwargs["settings"])), **kwargs)
