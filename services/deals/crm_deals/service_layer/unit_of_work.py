"""The deals service's unit of work: its repositories and its outbox in one transaction."""
from __future__ import annotations

from typing import Callable

from sqlalchemy.engine import Engine

from crm_shared.envelope import SYSTEM, Actor
from crm_shared.unit_of_work import UnitOfWork

from crm_deals.adapters import tables
from crm_deals.adapters.processes import ProcessRepository
from crm_deals.adapters.repository import DealRepository, Viewer

SERVICE = "deals"
#: automatic changes (merges and deletions of contacts) see every deal
SYSTEM_VIEWER = Viewer(id=SYSTEM.id)


class DealsUnitOfWork(UnitOfWork):
    """A transaction over the deals tables that commits its events to the outbox."""

    processes: ProcessRepository
    deals: DealRepository

    def __init__(self, engine: Engine, *, viewer: Viewer = SYSTEM_VIEWER, **kwargs: object) -> None:
        super().__init__(engine, tables.outbox, service=SERVICE, **kwargs)  # type: ignore[arg-type]
        self.viewer = viewer

    def _open(self) -> None:
        self.processes = ProcessRepository(self.connection)
        self.deals = DealRepository(self.connection)


UnitOfWorkFactory = Callable[..., DealsUnitOfWork]


def unit_of_work_factory(engine: Engine) -> UnitOfWorkFactory:
    """Return a factory of fresh units of work, one per request or message."""

    def make(actor: Actor = SYSTEM, correlation_id: str | None = None,
             viewer: Viewer = SYSTEM_VIEWER) -> DealsUnitOfWork:
        return DealsUnitOfWork(engine, viewer=viewer, actor=actor, correlation_id=correlation_id)

    return make
