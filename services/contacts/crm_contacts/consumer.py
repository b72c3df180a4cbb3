"""The contacts consumer: the record of which deals, tasks and interactions link each contact."""
from __future__ import annotations

import threading
from typing import Sequence

from crm_shared.config import Settings
from crm_shared.consumer_wiring import consume_until_stopped, wire_consumer
from crm_shared.copies import is_newer
from crm_shared.envelope import CloudEvent, InvalidEvent
from crm_shared.erasure import ANONYMIZED
from crm_shared.process import stop_on_signals
from crm_shared.unit_of_work import bind

from crm_contacts.adapters import tables
from crm_contacts.declaration import SERVICE
from crm_contacts.domain.links import links_of
from crm_contacts.import_worker import importing
from crm_contacts.service_layer.unit_of_work import ContactsUnitOfWork

PERSON_ERASED = f"crm.person.{ANONYMIZED}"


def handle_events(uow: ContactsUnitOfWork, events: Sequence[CloudEvent]) -> None:
    """Apply each event's current links in the consumer's transaction, ignoring stale ones.

    A person's own erasure event links nothing: it is here for the kit to redact the dead letters
    naming the person."""
    for event in events:
        if event.type == PERSON_ERASED:
            continue
        try:
            object_type, object_id, current = links_of(event.data)
        except (KeyError, TypeError, ValueError) as exc:
            raise InvalidEvent(f"data names no object: {exc}") from exc
        # At-least-once delivery may reorder one object's events: only a newer one counts. A
        # deletion keeps the version of the object's last change, so it wins a tie.
        deleted = event.data.get("operation") == "deleted"
        applied = uow.links.applied_sequence(object_type, object_id)
        if not (is_newer(event.sequence, applied) or (deleted and event.sequence == applied)):
            continue
        uow.links.replace(object_type, object_id, event.sequence, current, deleted=deleted)


assert SERVICE.queue is not None
build_consumer = wire_consumer(SERVICE.queue, tables.inbox, handle_events, bind(ContactsUnitOfWork))


def consume(settings: Settings, stop: threading.Event | None = None) -> None:
    """Consume the contacts queue until SIGTERM / SIGINT (or `stop`), then finish the batch and exit.

    The same process imports the pending import jobs (`import_worker`), in a thread of its own.
    """
    stop = stop or stop_on_signals()
    with importing(settings, stop):
        consume_until_stopped(build_consumer, settings, stop)
