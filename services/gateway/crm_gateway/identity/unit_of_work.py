"""The identity store's unit of work: one transaction per request or command."""
from __future__ import annotations

from typing import Callable

from sqlalchemy.engine import Engine

from crm_shared.unit_of_work import Transaction

from crm_gateway.identity.repository import UserRepository


class IdentityUnitOfWork(Transaction):
    """One transaction with the user repository on it; nothing is kept without commit()."""

    users: UserRepository

    def _open(self) -> None:
        self.users = UserRepository(self.connection)


UnitOfWorkFactory = Callable[[], IdentityUnitOfWork]


def unit_of_work_factory(engine: Engine) -> UnitOfWorkFactory:
    """Return a factory of units of work on `engine`."""
    return lambda: IdentityUnitOfWork(engine)
