"""The identity store's unit of work: one transaction per request or command."""
from __future__ import annotations

from types import TracebackType
from typing import Callable

from sqlalchemy.engine import Engine

from crm_gateway.identity.repository import UserRepository


class IdentityUnitOfWork:
    """Own one transaction and the user repository on it; nothing is kept without commit()."""

    users: UserRepository

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def __enter__(self) -> "IdentityUnitOfWork":
        self.connection = self.engine.connect()
        self._transaction = self.connection.begin()
        self.users = UserRepository(self.connection)
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        try:
            if self._transaction.is_active:
                self._transaction.rollback()
        finally:
            self.connection.close()

    def commit(self) -> None:
        """Make the changes of this transaction permanent."""
        self._transaction.commit()


UnitOfWorkFactory = Callable[[], IdentityUnitOfWork]


def unit_of_work_factory(engine: Engine) -> UnitOfWorkFactory:
    """Return a factory of units of work on `engine`."""
    return lambda: IdentityUnitOfWork(engine)
