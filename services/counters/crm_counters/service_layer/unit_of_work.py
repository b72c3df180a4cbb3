"""The counters service's unit of work: its repositories and its outbox in one transaction."""
from __future__ import annotations

from crm_shared.ticket_store import StreamTickets
from crm_shared.unit_of_work import UnitOfWork

from crm_counters.adapters import tables
from crm_counters.adapters.copies import Copies, RecordOwners
from crm_counters.adapters.items import CountedItems
from crm_counters.adapters.state import ChangeMarks, SettingsRepository
from crm_counters.declaration import SERVICE as DECLARATION


class CountersUnitOfWork(UnitOfWork, service=DECLARATION.name, outbox=tables.outbox):
    """A transaction over the counters tables that commits its events to the outbox."""

    #: the stream tickets live in the counters' own table
    repositories = {"tickets": StreamTickets.on(tables.stream_tickets)}
    copies: Copies
    records: RecordOwners
    items: CountedItems
    settings: SettingsRepository
    marks: ChangeMarks
    tickets: StreamTickets
