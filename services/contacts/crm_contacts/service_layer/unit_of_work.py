"""The contacts service's unit of work: its repository and its outbox in one transaction."""
from __future__ import annotations

from typing import Callable

from sqlalchemy.engine import Engine

from crm_shared.envelope import SYSTEM, Actor
from crm_shared.unit_of_work import UnitOfWork

from crm_contacts.adapters import tables
from crm_contacts.adapters.groups import GroupRepository
from crm_contacts.adapters.links import LinkRepository
from crm_contacts.adapters.repository import ContactRepository

SERVICE = "contacts"


class ContactsUnitOfWork(UnitOfWork):
    """A transaction over the contacts tables that commits its events to the outbox."""

    contacts: ContactRepository
    groups: GroupRepository
    links: LinkRepository

    def _open(self) -> None:
        self.contacts = ContactRepository(self.connection)
        self.groups = GroupRepository(self.connection)
        self.links = LinkRepository(self.connection)


UnitOfWorkFactory = Callable[..., ContactsUnitOfWork]


def unit_of_work_factory(engine: Engine) -> UnitOfWorkFactory:
    """Return a factory of fresh units of work, one per request or message."""

    def make(actor: Actor = SYSTEM, correlation_id: str | None = None) -> ContactsUnitOfWork:
        return ContactsUnitOfWork(
            engine, tables.outbox, service=SERVICE, actor=actor, correlation_id=correlation_id
        )

    return make
