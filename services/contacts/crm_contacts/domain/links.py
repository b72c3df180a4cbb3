"""Which deals, tasks and interactions link a contact, read from their events (tolerantly)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

from crm_shared.links import CONTACT_KINDS, MAX_ID_LENGTH


@dataclass(frozen=True)
class Link:
    """A contact linked by another service's object."""

    contact_kind: str
    contact_id: str
    object_type: str
    object_id: str
    object_name: str | None

    def as_dict(self) -> dict[str, Any]:
        """Return the wire shape of a link in a 409 answer."""
        return {"type": self.object_type, "id": self.object_id, "name": self.object_name,
                "contact_kind": self.contact_kind, "contact_id": self.contact_id}


def links_of(data: Mapping[str, Any]) -> tuple[str, str, list[Link]]:
    """Return the object type, id and current contact links an event's `data` describes.

    A link in `state.links` names its contact as `{"type"|"kind"|"object_type": "person"|
    "company", "id"|"object_id": …}`; links to anything else (e.g. a deal's space) are
    ignored. An object about one contact (an interaction) names it in `state.contact`, in
    the same shape. A deleted object links nothing any more.
    """
    object_type = str(data["object_type"])
    object_id = str(data["object_id"])
    if not object_id or len(object_id) > MAX_ID_LENGTH or len(object_type) > 40:
        raise ValueError(f"no usable object id or type: {object_type!r} {object_id!r}")
    if data.get("operation") == "deleted":
        return object_type, object_id, []
    state = data.get("state") or {}
    name = data.get("object_name") or state.get("name") or state.get("title")
    found: dict[tuple[str, str], Link] = {}
    linked = list(state.get("links") or [])
    if isinstance(state.get("contact"), Mapping):
        linked.append(state["contact"])
    for raw in linked:
        if not isinstance(raw, Mapping):
            continue
        kind = raw.get("type") or raw.get("kind") or raw.get("object_type")
        contact_id = raw.get("id") or raw.get("object_id")
        if kind in CONTACT_KINDS and contact_id and len(str(contact_id)) <= MAX_ID_LENGTH:
            found[(kind, str(contact_id))] = Link(kind, str(contact_id), object_type, object_id, name)
    return object_type, object_id, list(found.values())
