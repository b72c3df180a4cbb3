"""What the contacts views share: a unit of work for the caller, and how a record is answered."""
from __future__ import annotations

from typing import Any

from crm_shared.auth import bearer_token
from crm_shared.preconditions import etag
from crm_shared.service_app import service_context, uow, uows
from crm_shared.users import UserDirectory

from crm_contacts.context import ContactsContext
from crm_contacts.domain.model import Contact

__all__ = ["present", "users", "uow", "uows"]


def users() -> UserDirectory:
    """Return the suite's users as the caller may look them up (owners are checked against them)."""
    return service_context(ContactsContext).users_for(bearer_token())


def present(contact: Contact) -> tuple[dict[str, Any], dict[str, str]]:
    """Return a record's body and its ETag header."""
    return contact.state(), {"ETag": etag(contact.version)}
