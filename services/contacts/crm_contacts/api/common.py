"""What the contacts views share: a unit of work for the caller, and how a record is answered."""
from __future__ import annotations

from typing import Any

from crm_shared.preconditions import etag
from crm_shared.service_app import uow, uows

from crm_contacts.domain.model import Contact

__all__ = ["present", "uow", "uows"]


def present(contact: Contact) -> tuple[dict[str, Any], dict[str, str]]:
    """Return a record's body and its ETag header."""
    return contact.state(), {"ETag": etag(contact.version)}
