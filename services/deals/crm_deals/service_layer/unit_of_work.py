"""The deals service's unit of work: its repositories and its outbox in one transaction."""
from __future__ import annotations

from crm_shared.unit_of_work import UnitOfWork

from crm_deals.adapters import tables
from crm_deals.adapters.contacts_copy import ContactCopies
from crm_deals.adapters.processes import ProcessRepository
from crm_deals.adapters.repository import DealRepository
from crm_deals.adapters.sources import SourceRepository
from crm_deals.adapters.task_templates_copy import TemplateCopies
from crm_deals.declaration import SERVICE as DECLARATION


class DealsUnitOfWork(UnitOfWork, service=DECLARATION.name, outbox=tables.outbox):
    """A transaction over the deals tables that commits its events to the outbox."""

    processes: ProcessRepository
    deals: DealRepository
    sources: SourceRepository
    contacts: ContactCopies
    task_templates: TemplateCopies
