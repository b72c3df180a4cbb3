"""Stand-ins for the gateway's session check and user directory in services' tests."""
from __future__ import annotations

from dataclasses import dataclass, field

from crm_shared.auth import Principal
from crm_shared.errors import ServiceUnavailable
from crm_shared.users import DirectoryUser


def always_active(_token: str, _principal: Principal) -> bool:
    """A session check that accepts every validly signed token (services' unit tests need no gateway)."""
    return True


@dataclass
class FakeSessions:
    """A session check whose answers a test sets: refuse users, or be unreachable; counts its calls."""

    refused: set[str] = field(default_factory=set)
    unreachable: bool = False
    calls: int = 0

    def __call__(self, _token: str, principal: Principal) -> bool:
        self.calls += 1
        if self.unreachable:
            raise ServiceUnavailable("The gateway cannot confirm the session right now; retry shortly.")
        return principal.id not in self.refused

    def deactivate(self, user_id: str) -> None:
        """Refuse this user's tokens from now on."""
        self.refused.add(user_id)


@dataclass
class FakeUserDirectory:
    """A UserDirectory over users a test adds."""

    users: dict[str, DirectoryUser] = field(default_factory=dict)

    def add(self, user_id: str, *, name: str = "Test User", role: str = "user", active: bool = True,
            manager_id: str | None = None) -> DirectoryUser:
        """Add (or replace) a user and return it."""
        user = DirectoryUser(id=user_id, name=name, role=role, active=active, manager_id=manager_id)
        self.users[user_id] = user
        return user

    def find(self, user_id: str) -> DirectoryUser | None:
        """Return the user with this id, if added."""
        return self.users.get(user_id)
