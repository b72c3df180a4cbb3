"""The identity use cases: log in, create users, look them up, tell whether a session is alive."""
from __future__ import annotations

import uuid
from typing import NoReturn

from sqlalchemy.exc import IntegrityError

from crm_shared.problems import Conflict, NotFound, Unauthorized, ValidationFailed
from crm_shared.types import utcnow

from crm_gateway.identity.domain import ADMIN_USERNAME, NewUser, User
from crm_gateway.identity.events import login_actor, login_failed, user_created
from crm_gateway.identity.passwords import Passwords
from crm_gateway.identity.unit_of_work import IdentityUnitOfWork

BAD_CREDENTIALS = "The username or password is not correct."


def authenticate(uow: IdentityUnitOfWork, passwords: Passwords, username: str, password: str) -> User:
    """Return the active user these credentials belong to; raise Unauthorized otherwise."""
    # Hashing happens outside the transaction: on SQLite every transaction holds the
    # write lock, and an argon2 verification takes tens of milliseconds.
    with uow:
        found = uow.users.credentials(username)
    if found is None:
        passwords.verify_nothing(password)
        _refuse(uow, username, None, "unknown_user")
    user, password_hash = found
    if not passwords.verify(password_hash, password):
        _refuse(uow, username, user, "bad_password")
    if not user.active:
        _refuse(uow, username, user, "inactive")
    if passwords.needs_rehash(password_hash):
        new_hash = passwords.hash(password)
        with uow:
            uow.users.set_password_hash(user.id, new_hash)
            uow.commit()
    return user


def _refuse(uow: IdentityUnitOfWork, username: str, user: User | None, reason: str) -> NoReturn:
    """Record the failed attempt, then refuse it; the same answer whatever the reason."""
    # Exactly one outbox row per refused request, and nothing else is written: a flood of
    # attempts grows the outbox by one small row each (the username is at most 150 characters),
    # and the argon2 verification before this already paces every attempt.
    uow.actor = login_actor(user)
    with uow:
        uow.emit(login_failed(username, user, reason))
        uow.commit()
    raise Unauthorized(BAD_CREDENTIALS)


def active_user(uow: IdentityUnitOfWork, user_id: str) -> User | None:
    """Return the user with this id if they exist and are active (a token of theirs may act)."""
    # Asked for every token every few seconds: a read-only unit takes no SQLite write lock.
    with uow.reading():
        user = uow.users.get(user_id)
    return user if user is not None and user.active else None


def team_of(uow: IdentityUnitOfWork, user: User) -> tuple[str, ...]:
    """Return the ids of a manager's direct reports (nobody for other roles)."""
    if user.role != "manager":
        return ()
    with uow:
        return tuple(uow.users.reports_of(user.id))


def register_user(uow: IdentityUnitOfWork, passwords: Passwords, new: NewUser) -> User:
    """Create a user; 409 when the username is taken, 422 when the manager is unknown."""
    password_hash = passwords.hash(new.password)
    user = User(
        id=str(uuid.uuid4()), username=new.username, name=new.name, email=new.email,
        role=new.role, manager_id=new.manager_id, created_at=utcnow(),
    )
    with uow:
        require_active_manager(uow, new.manager_id)
        _refuse_taken(uow, new.username)
        try:
            uow.users.add(user, password_hash)
            uow.emit(user_created(user))
            uow.commit()
        except IntegrityError:
            # Another request took the username between our check and our insert.
            raise Conflict(f"The username {new.username!r} is taken.") from None
    return user


def create_first_admin(uow: IdentityUnitOfWork, passwords: Passwords, password: str) -> bool:
    """Create the user `admin` if there is no user at all; tell whether it was created."""
    new = NewUser(username=ADMIN_USERNAME, password=password, name="Administrator",
                  email="admin@localhost", role="admin")
    with uow:
        if not uow.users.is_empty():
            return False
    try:
        register_user(uow, passwords, new)
    except Conflict:
        return False
    return True


def list_users(uow: IdentityUnitOfWork) -> list[User]:
    """Return every user."""
    with uow:
        return uow.users.list()


def get_user(uow: IdentityUnitOfWork, user_id: str) -> User:
    """Return one user or raise NotFound."""
    with uow:
        user = uow.users.get(user_id)
    if user is None:
        raise NotFound(f"No user has the id {user_id}.")
    return user


def require_active_manager(uow: IdentityUnitOfWork, manager_id: str | None) -> None:
    """Raise a 422 on `manager_id` unless it names an existing, active user (or nobody)."""
    if manager_id is None:
        return
    manager = uow.users.get(manager_id)
    if manager is None or not manager.active:
        raise ValidationFailed({"manager_id": ["No active user has this id."]})


def _refuse_taken(uow: IdentityUnitOfWork, username: str) -> None:
    if uow.users.credentials(username) is not None:
        raise Conflict(f"The username {username!r} is taken.")
