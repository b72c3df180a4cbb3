"""Who a record may be given to: the `owner_id` rule every service checks on create and update.

The owner may be the caller, a member of a manager's team, anyone for an admin (the
visibility rule: one may own-assign only what one could then still see), and must be an
existing, active user of the gateway. Every refusal reads the same, so the answer does not
tell an unknown id from a user one may not assign to.
"""
from __future__ import annotations

from crm_shared.rules import RuleBroken
from crm_shared.users import DirectoryUser, UserDirectory
from crm_shared.visibility import Viewer, can_see


class NoUsers:
    """A directory that knows nobody: a use case given no directory refuses every other owner."""

    def find(self, user_id: str) -> DirectoryUser | None:
        return None


NO_USERS: UserDirectory = NoUsers()


def owner_refused(owner_id: str, field: str = "owner_id") -> RuleBroken:
    """Return the one refusal of an owner the caller may not assign (unknown, inactive or not theirs)."""
    return RuleBroken({field: [f"No active user with id {owner_id} that you may assign records to."]})


def check_owner(viewer: Viewer, users: UserDirectory, owner_id: str | None, *, field: str = "owner_id") -> None:
    """Refuse (422 on `field`) an owner the viewer may not give records to; None or the viewer is fine.

    The caller's own id needs no lookup: their token was just confirmed active.
    """
    if not owner_id or owner_id == viewer.id:
        return
    if not can_see(viewer, owner_id):
        raise owner_refused(owner_id, field)
    user = users.find(owner_id)
    if user is None or not user.active:
        raise owner_refused(owner_id, field)
