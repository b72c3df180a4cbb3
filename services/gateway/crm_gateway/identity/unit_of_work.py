"""The identity store's unit of work: one transaction per request or command, and its events."""
from __future__ import annotations

from typing import Callable

from sqlalchemy.engine import Engine

from crm_shared.envelope import SYSTEM, Actor
from crm_shared.unit_of_work import UnitOfWork

from crm_gateway.identity.repository import UserRepository
from crm_gateway.identity.tables import outbox

SERVICE = "gateway"


class IdentityUnitOfWork(UnitOfWork, service=SERVICE, outbox=outbox):
    """One transaction with the user repository on it; its events reach the outbox on commit()."""

    users: UserRepository

    def __init__(self, engine: Engine, actor: Actor = SYSTEM, correlation_id: str | None = None) -> None:
        super().__init__(engine, actor=actor, correlation_id=correlation_id)


UnitOfWorkFactory = Callable[..., IdentityUnitOfWork]


def unit_of_work_factory(engine: Engine) -> UnitOfWorkFactory:
    """Return a factory of units of work on `engine`, acting for an actor (`system` unless told)."""

    def make(actor: Actor = SYSTEM, correlation_id: str | None = None) -> IdentityUnitOfWork:
        return IdentityUnitOfWork(engine, actor, correlation_id)

    return make
