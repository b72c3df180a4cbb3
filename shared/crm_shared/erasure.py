"""Erasure of a subject's personal values (CON-4): what an erased value reads as, suite-wide.

The values themselves go from every store: the owning service's record, the audit entries that
held them (`crm_audit.domain.redaction`, `crm_audit.domain.mentions`), the copies and link names
other services keep, and the published events their outboxes retain (`crm_shared.outbox.drop_published_naming`).
"""
from __future__ import annotations

#: what an erased value reads as wherever its shape must stay (an audit change, an event's change)
REDACTED = "[redacted]"

#: the operation of an erasure; a published `crm.<type>.anonymized` event takes with it the
#: published outbox rows that name its subject (`crm_shared.relay`)
ANONYMIZED = "anonymized"
