"""Who sees which records: the owner, the owner's manager (the token's `team`), and admins.

One rule for every service. A repository asks `visible_owners(viewer)` (None: every owner)
to filter in SQL; a use case asks `can_see(viewer, owner_id)` about one record.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from crm_shared.envelope import SYSTEM


class Viewer(Protocol):
    """The caller as visibility needs it (`crm_shared.auth.Principal` fits)."""

    @property
    def id(self) -> str: ...

    @property
    def role(self) -> str: ...

    @property
    def team(self) -> tuple[str, ...]: ...


@dataclass(frozen=True)
class Seer:
    """A viewer that is not a token's principal: the system, or a caller in a test."""

    id: str
    role: str = "user"
    team: tuple[str, ...] = ()
    name: str = ""


#: automatic changes (consumers reacting to other services' events) see every record
SYSTEM_VIEWER = Seer(id=SYSTEM.id, role="admin", name=SYSTEM.name)


def visible_owners(viewer: Viewer) -> tuple[str, ...] | None:
    """Return the owner ids whose records the viewer sees; None means every record."""
    if viewer.role == "admin":
        return None
    if viewer.role == "manager":
        return (viewer.id, *viewer.team)
    return (viewer.id,)


def can_see(viewer: Viewer, owner_id: str | None) -> bool:
    """Tell whether the viewer may see (and so read, change, export) a record with this owner."""
    owners = visible_owners(viewer)
    return owners is None or owner_id in owners


def viewer_of(principal: Any) -> Seer:
    """Return the plain viewer of anything with `id`, `role` and `team` (a token's principal)."""
    return Seer(id=principal.id, role=principal.role, team=tuple(principal.team),
                name=getattr(principal, "name", "") or principal.id)
