"""Building contact events as the contacts service publishes them, for the deals consumer's tests."""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from crm_shared.envelope import Actor, CloudEvent, wrap
from crm_shared.events import ObjectChanged

#: whose contacts the events describe unless told: the deals API tests' plain user
OWNER = "11111111-1111-1111-1111-111111111111"


def contact_event(kind: str, contact_id: str, operation: str, sequence: int, name: str = "Jana Nováková",
                  **extra: Any) -> CloudEvent:
    """Return a crm.<kind>.<operation> event with the contact's state (owned by `owner_id`)."""
    state = {"id": contact_id, "kind": kind, "name": name, "valid": extra.pop("valid", True), "version": sequence,
             "owner_id": extra.pop("owner_id", OWNER)}
    change = ObjectChanged(kind, contact_id, name, f"/api/v1/{kind}s/{contact_id}", operation, sequence,
                           state=state)
    envelope = wrap(change, service="contacts", actor=Actor("u", "U"), correlation_id="c",
                    time=datetime.now(timezone.utc))
    data = {**envelope.data, **extra}
    return CloudEvent(**{**envelope.__dict__, "data": data})
