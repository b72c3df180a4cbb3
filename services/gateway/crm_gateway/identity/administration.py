"""Managing users: change their fields, deactivate them, list them page by page."""
from __future__ import annotations

from crm_shared.pagination import decode_cursor, page
from crm_shared.problems import Conflict, NotFound, ValidationFailed

from crm_gateway.identity.domain import User, UserPatch, loses_admin, manager_cycle
from crm_gateway.identity.events import user_updated
from crm_gateway.identity.passwords import Passwords
from crm_gateway.identity.services import require_active_manager
from crm_gateway.identity.unit_of_work import IdentityUnitOfWork


def update_user(uow: IdentityUnitOfWork, passwords: Passwords, user_id: str, patch: UserPatch) -> User:
    """Change a user; 404 unknown, 422 bad manager or cycle, 409 when no active admin would remain."""
    password_hash = passwords.hash(patch.password) if patch.password else None  # slow: before the lock
    with uow:
        before = uow.users.get(user_id, for_update=True)
        if before is None:
            raise NotFound(f"No user has the id {user_id}.")
        after = before.patched(patch.values, password_changed=password_hash is not None)
        if after is before:
            return before
        _check_manager(uow, before, after)
        _keep_an_admin(uow, before, after)
        uow.users.update(after, password_hash)
        uow.emit(user_updated(before, after, password_changed=password_hash is not None))
        uow.commit()
    return after


def _check_manager(uow: IdentityUnitOfWork, before: User, after: User) -> None:
    if after.manager_id == before.manager_id or after.manager_id is None:
        return
    require_active_manager(uow, after.manager_id)
    if manager_cycle(after.id, after.manager_id, uow.users.manager_of):
        raise ValidationFailed({"manager_id": ["This manager reports to the user, directly or not."]})


def _keep_an_admin(uow: IdentityUnitOfWork, before: User, after: User) -> None:
    if not loses_admin(before, after):
        return
    if [admin for admin in uow.users.lock_active_admins() if admin != before.id]:
        return
    raise Conflict("The last active admin cannot be deactivated or demoted.")


def list_page(uow: IdentityUnitOfWork, limit: int, cursor: str | None) -> tuple[list[User], str | None]:
    """Return one page of users by username and the cursor of the next page (None on the last)."""
    after = decode_cursor(cursor, (str,))
    with uow:
        found = uow.users.page(after[0] if after else None, limit + 1)
    return page(found, limit, lambda user: [user.username])
