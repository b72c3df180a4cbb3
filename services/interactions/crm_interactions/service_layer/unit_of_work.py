"""The interactions service's unit of work: its repositories and its outbox in one transaction."""
from __future__ import annotations

from crm_shared.unit_of_work import UnitOfWork

from crm_interactions.adapters import tables
from crm_interactions.adapters.catalog import AttachmentRepository, RuleRepository, TemplateRepository
from crm_interactions.adapters.copies import ContactCopies, GroupCopies
from crm_interactions.adapters.entries import EntryRepository
from crm_interactions.declaration import SERVICE as DECLARATION


class InteractionsUnitOfWork(UnitOfWork, service=DECLARATION.name, outbox=tables.outbox):
    """A transaction over the interactions tables that commits its events to the outbox."""

    templates: TemplateRepository
    entries: EntryRepository
    rules: RuleRepository
    attachments: AttachmentRepository
    contacts: ContactCopies
    groups: GroupCopies
