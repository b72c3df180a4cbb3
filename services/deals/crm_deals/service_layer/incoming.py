"""What the deals consumer does with each event of its queue: contacts and task templates."""
from __future__ import annotations

from typing import Sequence

from crm_shared.envelope import CloudEvent

from crm_deals.service_layer.contact_events import KINDS, handle_contact_event
from crm_deals.service_layer.task_templates import OBJECT_TYPE as TEMPLATE, handle_template_event
from crm_deals.service_layer.unit_of_work import DealsUnitOfWork


def handle_events(uow: DealsUnitOfWork, events: Sequence[CloudEvent]) -> None:
    """Apply each event with the consumer's unit of work, in order; other types are ignored.

    Each event is a use case of its own: the deals or processes it changes emit their
    `updated` events, correlated with the incoming event, into the outbox of the consumer's
    transaction (the one holding the tracking rows). InvalidEvent for a wrong shape.
    """
    for event in events:
        kind, _, operation = event.type.removeprefix("crm.").partition(".")
        if kind not in KINDS and kind != TEMPLATE:
            continue
        with uow.caused_by(event):
            if kind == TEMPLATE:
                handle_template_event(uow, event, operation)
            else:
                handle_contact_event(uow, event, kind, operation)
            uow.commit()
