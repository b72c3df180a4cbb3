"""Who may see a contact: its owner, the owner's manager, and admins (CON-15)."""
from __future__ import annotations

from typing import Protocol


class Viewer(Protocol):
    """The caller as visibility needs it (crm_shared.auth.Principal fits)."""

    id: str
    role: str
    team: tuple[str, ...]


def visible_owners(viewer: Viewer) -> tuple[str, ...] | None:
    """Return the owner ids whose contacts the viewer sees; None means every contact."""
    if viewer.role == "admin":
        return None
    if viewer.role == "manager":
        return (viewer.id, *viewer.team)
    return (viewer.id,)


def can_see(viewer: Viewer, owner_id: str | None) -> bool:
    """Tell whether the viewer may see (and so read, change, export) a contact with this owner."""
    owners = visible_owners(viewer)
    return owners is None or owner_id in owners


def rule_for(owner_id: str | None) -> dict[str, object]:
    """Describe who may see a contact with this owner (the security info's `visible_to`)."""
    return {"owner_id": owner_id, "owners_manager": True, "roles": ["admin"],
            "rule": "the owner, the owner's manager and admins"}
