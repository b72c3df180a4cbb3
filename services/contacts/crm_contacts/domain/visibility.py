"""Who may see a contact: its owner, the owner's manager, and admins (CON-15).

The rule is the suite's (crm_shared.visibility); what the security info says of it is the contacts'.
"""
from __future__ import annotations

from crm_shared.visibility import Viewer, can_see, visible_owners

__all__ = ["Viewer", "can_see", "rule_for", "visible_owners"]


def rule_for(owner_id: str | None) -> dict[str, object]:
    """Describe who may see a contact with this owner (the security info's `visible_to`)."""
    return {"owner_id": owner_id, "owners_manager": True, "roles": ["admin"],
            "rule": "the owner, the owner's manager and admins"}
