"""What the caller may see and reference: contacts by their owner (the kit's rule), templates, attachments.

A contact the caller may not see is refused exactly like one that does not exist, with the
same 422 message, so that a refusal reveals nothing.
"""
from __future__ import annotations

from typing import Any, Mapping

from crm_shared.errors import Forbidden, NotFound, ValidationFailed
from crm_shared.visibility import visible_owners

from crm_interactions.domain.contacts import ContactCopy
from crm_interactions.domain.entries import Entry
from crm_interactions.domain.templates import Template


def owners(uow: Any) -> tuple[str, ...] | None:
    """Return the contact owners whose entries the caller sees (None: all)."""
    return visible_owners(uow.viewer)


def referenced_contact(uow: Any, contact: Mapping[str, str], field: str = "contact") -> ContactCopy:
    """Return the contact a request names; unknown, deleted or invisible ones are the same 422."""
    kind, contact_id = contact["type"], contact["id"]
    copy = uow.contacts.get(contact_id)
    seen = owners(uow)
    if copy is None or copy.kind != kind or copy.pending or copy.gone or (seen is not None and copy.owner_id not in seen):
        raise ValidationFailed({f"{field}.id": [f"No {kind} with id {contact_id}."]})
    return copy


def referenced_template(uow: Any, template_id: str, field: str = "template_id") -> Template:
    template = uow.templates.get(template_id)
    if template is None:
        raise ValidationFailed({field: [f"No interaction template with id {template_id}."]})
    return template


def referenced_attachment(uow: Any, attachment_id: str | None, field: str = "attachment_id") -> None:
    """Check that an attachment a request names exists and may be seen by the caller."""
    if attachment_id is not None and not can_read_attachment(uow, attachment_id):
        raise ValidationFailed({field: [f"No attachment with id {attachment_id}."]})


def can_read_attachment(uow: Any, attachment_id: str) -> bool:
    """Tell whether the caller may read an attachment: its uploader, an admin, anyone when a template
    names it, or whoever sees an entry holding it."""
    attachment = uow.attachments.get(attachment_id)
    if attachment is None:
        return False
    viewer = uow.viewer
    return (viewer.role == "admin" or attachment.created_by == viewer.id
            or uow.templates.uses_attachment(attachment_id) or uow.entries.uses_attachment(attachment_id, owners(uow)))


def seen_entry(uow: Any, entry_id: str, *, for_update: bool = False) -> Entry:
    """Return an entry whose contact the caller may see; any other is missing (404)."""
    entry = uow.entries.get(entry_id, owners=owners(uow), for_update=for_update)
    if entry is None:
        raise NotFound(f"No interaction with id {entry_id}.")
    return entry


def changeable_template(uow: Any, template_id: str) -> Template:
    """Return a template the caller may change: its creator or an admin (others 403; unknown 404)."""
    template = uow.templates.get(template_id, for_update=True)
    if template is None:
        raise NotFound(f"No interaction template with id {template_id}.")
    if uow.viewer.role != "admin" and template.created_by != uow.viewer.id:
        raise Forbidden("Only its creator or an admin may change a template.")
    return template
