"""The audit consumer: every change event on the bus becomes one audit entry."""
from __future__ import annotations

import threading
from typing import Sequence

from crm_audit.adapters import repository, tables
from crm_audit.declaration import SERVICE
from crm_audit.domain.entries import AuditEntry
from crm_audit.domain.mentions import kept, mentions_of
from crm_audit.domain.redaction import Anonymization, Subject, anonymization_of, subject_of
from crm_audit.event_reader import entry_from_event
from crm_audit.maintenance import keep_partitions
from crm_shared.config import Settings
from crm_shared.consumer_wiring import consume_until_stopped, wire_consumer
from crm_shared.process import stop_on_signals
from crm_shared.envelope import CloudEvent
from crm_shared.types import utcnow
from crm_shared.unit_of_work import Transaction


def handle_events(uow: Transaction, events: Sequence[CloudEvent]) -> None:
    """Record a batch of events as entries in the consumer's transaction; InvalidEvent if one is malformed."""
    connection = uow.connection
    now = utcnow()
    entries = [entry_from_event(event, recorded_at=now) for event in events]
    mentions = [(subject, entry) for entry in entries for subject in sorted(mentions_of(entry))]
    # the subjects named serialize too: an entry naming a subject and that subject's anonymization,
    # handled at once, would otherwise each miss the other's uncommitted rows
    subjects = {subject_of(entry) for entry in entries} | {subject for subject, _ in mentions}
    repository.lock_subjects(connection, subjects)
    fresh = _anonymizations(entries)
    for anonymization in fresh.values():
        repository.record_anonymization(connection, anonymization)
    # the stored anonymizations include this batch's, and any that arrived before these entries
    known = repository.anonymizations(connection, subjects)
    repository.add_mentions(connection, mentions)
    repository.add_all(connection, [kept(entry, known) for entry in entries])
    for subject in fresh:
        repository.redact_history(connection, known[subject])
        repository.redact_mentions(connection, subject)


def _anonymizations(entries: list[AuditEntry]) -> dict[Subject, Anonymization]:
    latest: dict[Subject, Anonymization] = {}
    for entry in entries:
        anonymization = anonymization_of(entry)
        if anonymization is not None:
            latest[anonymization.subject] = anonymization.later(latest.get(anonymization.subject))
    return latest


assert SERVICE.queue is not None
build_consumer = wire_consumer(SERVICE.queue, tables.inbox, handle_events)


def consume(settings: Settings, stop: threading.Event | None = None) -> None:
    """Consume the audit queue until SIGTERM / SIGINT (or `stop`), then finish the batch and exit.

    Beside it, a thread keeps the log's monthly partitions (crm_audit.maintenance).
    """
    stop = stop or stop_on_signals()
    keep_partitions(settings, stop)
    consume_until_stopped(build_consumer, settings, stop)
