"""The contacts service's unit of work: its repositories and its outbox in one transaction."""
from __future__ import annotations

from crm_shared.unit_of_work import UnitOfWork

from crm_contacts.adapters import tables
from crm_contacts.adapters.groups import GroupRepository
from crm_contacts.adapters.imports import ImportRepository
from crm_contacts.adapters.links import LinkRepository
from crm_contacts.adapters.repository import ContactRepository
from crm_contacts.declaration import SERVICE as DECLARATION


class ContactsUnitOfWork(UnitOfWork, service=DECLARATION.name, outbox=tables.outbox):
    """A transaction over the contacts tables that commits its events to the outbox."""

    contacts: ContactRepository
    groups: GroupRepository
    links: LinkRepository
    imports: ImportRepository
