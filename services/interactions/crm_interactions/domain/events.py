"""The events the service's records produce, as the bus and the audit log see them.

Every entry event (`crm.interaction.<operation>`) carries the whole entry as the API answers
it in `state`, and the entry's version as its sequence, so that the counters service works
from events alone. Names in events never hold a contact's name: an entry is titled by its
template code (or inbound kind) and date.
"""
from __future__ import annotations

from typing import Any, Sequence

from crm_shared.changes import Change
from crm_shared.events import ObjectChanged

from crm_interactions.domain.attachments import Attachment
from crm_interactions.domain.entries import Entry
from crm_interactions.domain.rules import Rule
from crm_interactions.domain.templates import Template

CREATED, UPDATED, DELETED = "created", "updated", "deleted"
CANCELED, RESTORED, PROCESSED, ANONYMIZED = "canceled", "restored", "processed", "anonymized"
ENTRY_OPERATIONS = (CREATED, UPDATED, CANCELED, RESTORED, DELETED, PROCESSED, ANONYMIZED)


def entry_changed(entry: Entry, operation: str, changes: Sequence[Change]) -> ObjectChanged:
    """Describe a committed change of an entry; `deleted` carries the last state."""
    if operation not in ENTRY_OPERATIONS:
        raise ValueError(f"not an entry operation: {operation}")
    return ObjectChanged(object_type="interaction", object_id=entry.id, object_name=entry.title,
                         object_link=entry.link, operation=operation, sequence=entry.version,
                         changes=tuple(changes), state=entry.state())


def template_changed(template: Template, operation: str, changes: Sequence[Change]) -> ObjectChanged:
    return ObjectChanged(object_type="interaction_template", object_id=template.id, object_name=template.code,
                         object_link=template.link, operation=operation, sequence=template.version,
                         changes=tuple(changes), state=template.state())


def rule_changed(rule: Rule, operation: str, changes: Sequence[Change]) -> ObjectChanged:
    return ObjectChanged(object_type="interaction_rule", object_id=rule.id, object_name=rule.event_type,
                         object_link=rule.link, operation=operation, sequence=rule.version,
                         changes=tuple(changes), state=rule.state())


def attachment_added(attachment: Attachment) -> ObjectChanged:
    return ObjectChanged(object_type="attachment", object_id=attachment.id, object_name=attachment.filename,
                         object_link=attachment.link, operation=CREATED, sequence=1,
                         changes=(Change("filename", None, attachment.filename),
                                  Change("content_type", None, attachment.content_type),
                                  Change("size", None, attachment.size), Change("sha256", None, attachment.sha256)),
                         state=attachment.state())


def batch_deleted(batch_id: str, filters: dict[str, Any], entry_ids: Sequence[str]) -> ObjectChanged:
    """Describe one bulk deletion of canceled entries: its filters and every entry it removed."""
    return ObjectChanged(object_type="interaction_batch", object_id=batch_id,
                         object_name=f"Deletion of {len(entry_ids)} canceled interactions",
                         object_link="/api/v1/interactions", operation=DELETED, sequence=1,
                         changes=(Change("interactions", list(entry_ids), None),),
                         state={"id": batch_id, "filters": filters, "deleted": len(entry_ids),
                                "entry_ids": list(entry_ids)})
