"""The one kind of domain event every service emits: an object was changed."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from crm_shared.changes import Change


@dataclass(frozen=True)
class ObjectChanged:
    """A committed change of one object, in the past tense: created, updated, deleted, …

    `sequence` is the object's version after the change so that consumers can order
    events per object; `state` is the whole object after the change.
    """

    object_type: str
    object_id: str
    object_name: str
    object_link: str
    operation: str
    sequence: int
    changes: tuple[Change, ...] = ()
    state: dict[str, Any] = field(default_factory=dict)
    #: further top-level members of `data` for some operations, e.g. `merged_from`
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def event_type(self) -> str:
        """Return the CloudEvents type and routing key, e.g. `crm.person.updated`."""
        return f"crm.{self.object_type}.{self.operation}"

    def data(self) -> dict[str, Any]:
        """Return the `data` member of the event envelope."""
        return {
            "object_type": self.object_type,
            "object_id": self.object_id,
            "object_name": self.object_name,
            "object_link": self.object_link,
            "operation": self.operation,
            "changes": [change.as_dict() for change in self.changes],
            "state": self.state,
            **self.extra,
        }
