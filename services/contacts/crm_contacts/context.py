"""What the contacts views reach besides the unit of work: the business register and the users."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from crm_shared.config import Settings
from crm_shared.owners import NO_USERS
from crm_shared.service_app import ServiceContext
from crm_shared.users import UserDirectory

from crm_contacts.registry.base import Registry

#: the largest file an import reads by default (CRM_CONTACTS_MAX_IMPORT_BYTES overrides it)
DEFAULT_MAX_IMPORT_BYTES = 20 * 1024 * 1024

#: a directory of the suite's users that looks them up with one caller's token
UsersFor = Callable[[str], UserDirectory]


@dataclass(frozen=True)
class ContactsContext(ServiceContext):
    """The service context, the business register the company lookups ask, and the users owners must be."""

    registry: Registry | None = None
    users_for: UsersFor = lambda _token: NO_USERS

    @property
    def max_import_bytes(self) -> int:
        """Return the largest file an import reads."""
        return max_import_bytes(self.settings)

    @classmethod
    def build(cls, users_for: UsersFor | None = None, **kwargs: Any) -> "ContactsContext":
        """Build the context with the register the settings name (ARES) and the gateway's users."""
        from crm_contacts.registry.ares import ares_from_settings
        from crm_shared.sessions import gateway_url
        from crm_shared.users import GatewayUsers

        users_for = users_for or GatewayUsers(gateway_url(kwargs["settings"])).acting_for
        return cls(registry=ares_from_settings(kwargs["settings"].extra), users_for=users_for, **kwargs)


def max_import_bytes(settings: Settings) -> int:
    """Return the largest file an import reads: CRM_CONTACTS_MAX_IMPORT_BYTES, else 20 MiB."""
    return int(settings.extra.get("CRM_CONTACTS_MAX_IMPORT_BYTES") or DEFAULT_MAX_IMPORT_BYTES)
