"""What the contacts views share: a unit of work for the caller, and how a record is answered."""
from __future__ import annotations

from typing import Any

from flask import current_app

from crm_shared.auth import current_principal
from crm_shared.web import request_id

from crm_contacts.domain.model import Contact
from crm_shared.preconditions import etag
from crm_contacts.service_layer.unit_of_work import ContactsUnitOfWork


def uow() -> ContactsUnitOfWork:
    """Return a fresh unit of work acting for the caller of this request."""
    factory = current_app.extensions["crm_contacts"]["uow_factory"]
    return factory(actor=current_principal().actor(), correlation_id=request_id())


def present(contact: Contact) -> tuple[dict[str, Any], dict[str, str]]:
    """Return a record's body and its ETag header."""
    return contact.state(), {"ETag": etag(contact.version)}
