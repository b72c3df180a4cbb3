"""The counters service's unit of work: its repositories and its outbox in one transaction."""
from __future__ import annotations

from crm_shared.ticket_store import StreamTickets
from crm_shared.unit_of_work import UnitOfWork

from crm_counters.adapters import tables
from crm_counters.adapters.copies import Copies, RecordOwners
from crm_counters.adapters.items import CountedItems
from crm_counters.adapters.state import ChangeMarks, SettingsRepository
from crm_counters.declaration import SERVICE as DECLARATION

SERVICE = DECLARATION.name


class CountersUnitOfWork(UnitOfWork):
    """A transaction over the counters tables that commits its events to the outbox."""

    service = SERVICE
    outbox_table = tables.outbox
    repositories = {
        "copies": Copies, "records": RecordOwners, "items": CountedItems, "settings": SettingsRepository,
        "marks": ChangeMarks, "tickets": StreamTickets.on(tables.stream_tickets),
    }
    copies: Copies
    records: RecordOwners
    items: CountedItems
    settings: SettingsRepository
    marks: ChangeMarks
    tickets: StreamTickets
