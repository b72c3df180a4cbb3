"""What the deals views reach besides the unit of work: the users a deal's owner must be one of."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from crm_shared.owners import NO_USERS
from crm_shared.service_app import ServiceContext
from crm_shared.users import UserDirectory

#: a directory of the suite's users that looks them up with one caller's token
UsersFor = Callable[[str], UserDirectory]


@dataclass(frozen=True)
class DealsContext(ServiceContext):
    """The service context and the users owners are checked against."""

    users_for: UsersFor = lambda _token: NO_USERS

    @classmethod
    def build(cls, users_for: UsersFor | None = None, **kwargs: Any) -> "DealsContext":
        """Build the context with the gateway's users (or the directory given)."""
        from crm_shared.sessions import gateway_url
        from crm_shared.users import GatewayUsers

        return cls(users_for=users_for or GatewayUsers(gateway_url(kwargs["settings"])).acting_for, **kwargs)
