"""What the contacts views reach besides the unit of work: the business register."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from crm_shared.service_app import ServiceContext

from crm_contacts.registry.base import Registry


@dataclass(frozen=True)
class ContactsContext(ServiceContext):
    """The service context, and the business register the company lookups ask."""

    registry: Registry | None = None

    @classmethod
    def build(cls, **kwargs: Any) -> "ContactsContext":
        """Build the context with the register the settings name (ARES)."""
        from crm_contacts.registry.ares import ares_from_settings

        return cls(registry=ares_from_settings(kwargs["settings"].extra), **kwargs)
