"""Erasure of a subject's personal values (CON-4): what an erased value reads as, suite-wide.

The values themselves go from every store: the owning service's record, the audit entries that
held them (`crm_audit.domain.redaction`, `crm_audit.domain.mentions`), the copies and link names
other services keep, and the published events their outboxes retain (`crm_shared.outbox.drop_published_naming`).
"""
from __future__ import annotations

from typing import Sequence

from crm_shared.changes import Change

#: what an erased value reads as wherever its shape must stay (an audit change, an event's change)
REDACTED = "[redacted]"

#: the operation of an erasure; a published `crm.<type>.anonymized` event takes with it the
#: published outbox rows that name its subject (`crm_shared.relay`)
ANONYMIZED = "anonymized"


def is_erasure(event_type: str) -> bool:
    """Whether an event type (its routing key), `crm.<type>.anonymized`, is an erasure."""
    return event_type.rpartition(".")[2] == ANONYMIZED


def without_before_values(changes: Sequence[Change]) -> list[Change]:
    """Return an erasure's changes as its event may carry them: each `before` value that was set reads
    `[redacted]` (the field was erased), a null one stays null; the `after` values are the erased ones."""
    return [Change(change.field, None if change.before is None else REDACTED, change.after) for change in changes]
