"""Judging the links a request asks for against the service's copies of the linked records.

Whatever the service, a record the caller may not see is answered exactly like an id the copy
does not know, so that a link never tells whether an invisible record exists. A service picks
what both get (`unknown`):

- `AWAIT` (deals' contact links): a record created a moment ago may not have reached the
  service yet, its event still on its way; refusing would show the user an error for a correct
  request. So an unknown (well-formed) id is accepted and remembered as pending; the link
  awaits that event with the owners whose records the caller sees, and the event settles it
  (`Link.settled`): a plain link, or a hidden one if the caller could not see the record. A
  known record the caller may not see is accepted the same way, nameless, never checked (kind,
  deleted, invalid), and hidden.
- `REFUSE` (tasks' links): both are a 422 on `links.N.id`, "No <kind> with this id.", and
  nothing is written; a record is linkable once its event has reached the service.

Links the record already has are kept whatever became of their records. Kinds the service
owns itself (a task's space) are looked up by the service (`local`) and must exist.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any, Callable, Iterable, Mapping, Protocol, Sequence

from crm_shared.errors import ValidationFailed
from crm_shared.links import EVERYONE, Link
from crm_shared.types import utcnow
from crm_shared.visibility import Viewer, can_see, visible_owners


class KnownCopy(Protocol):
    """What judging reads of a copy (`crm_shared.copies.KnownRecord` fits)."""

    @property
    def kind(self) -> str: ...

    @property
    def name(self) -> str | None: ...

    @property
    def owner_id(self) -> str | None: ...

    @property
    def owner_known(self) -> bool: ...

    @property
    def valid(self) -> bool: ...

    @property
    def gone(self) -> bool: ...


class LinkedCopies(Protocol):
    """The copies of linked records in the request's transaction."""

    def get_many(self, ids: Iterable[str], *, for_update: bool = False) -> Mapping[str, KnownCopy]: ...

    def add_pending(self, record_id: str, kind: str, now: datetime) -> None: ...


#: a service's lookup of a kind it owns: the named link, or None when there is no such record
LocalLookup = Callable[[str], Link | None]

#: what an unknown or invisible record's link gets: accepted and awaiting / hidden, or refused
AWAIT, REFUSE = "await", "refuse"


def judge_links(viewer: Viewer, copies: LinkedCopies, wanted: Sequence[Mapping[str, Any]],
                kept: Iterable[Link] = (), *, local: Mapping[str, LocalLookup] | None = None,
                unknown: str = AWAIT) -> list[Link]:
    """Turn `[{"type","id"}]` into links; 422 naming `links.N.<field>` for a record not to link."""
    if unknown not in (AWAIT, REFUSE):
        raise ValueError(f"not a way to treat unknown records: {unknown}")
    local = local or {}
    already = {link.key: link for link in kept}
    remote = [item for item in wanted if item["type"] not in local and (item["type"], item["id"]) not in already]
    known = _known_now(copies, remote) if unknown == AWAIT else dict(copies.get_many([i["id"] for i in remote]))
    errors: dict[str, list[str]] = {}
    links = []
    for index, item in enumerate(wanted):
        kind, record_id = item["type"], item["id"]
        if (kind, record_id) in already:
            links.append(already[(kind, record_id)])
        elif kind in local:
            link = local[kind](record_id)
            if link is None:
                errors.setdefault(f"links.{index}.id", []).append(f"No {kind} with this id.")
            else:
                links.append(link)
        else:
            judged = _judged(viewer, kind, record_id, known.get(record_id), refuse=unknown == REFUSE)
            if isinstance(judged, Link):
                links.append(judged)
            else:
                errors.setdefault(f"links.{index}.{judged[0]}", []).append(judged[1])
    if errors:
        raise ValidationFailed(errors)
    return links


def _judged(viewer: Viewer, kind: str, record_id: str, record: KnownCopy | None, *,
            refuse: bool) -> Link | tuple[str, str]:
    unseen = record is None or not record.owner_known or not can_see(viewer, record.owner_id)
    if unseen and refuse:
        return "id", f"No {kind} with this id."
    if record is None or not record.owner_known:
        owners = visible_owners(viewer)
        return Link(kind, record_id, None, awaiting=(EVERYONE,) if owners is None else owners)
    if not can_see(viewer, record.owner_id):
        return Link(kind, record_id, None, hidden=True, owner_id=record.owner_id)
    if record.kind != kind:
        return "type", f"{record_id} is a {record.kind}, not a {kind}."
    if record.gone:
        return "id", f"The {record.kind} {record_id} has been deleted."
    if not record.valid:
        return "id", f"The {record.kind} {record.name} is marked invalid."
    return Link(kind, record_id, record.name, owner_id=record.owner_id)


def _known_now(copies: LinkedCopies, wanted: Sequence[Mapping[str, Any]]) -> dict[str, KnownCopy]:
    """Return the copies of the wanted records, an unknown one remembered as pending first.

    The record's event may be applied by the consumer while this request runs: reading the
    rows again under lock, once every wanted record has one, sees a state the consumer
    committed meanwhile, or else makes the consumer wait for this request and then judge
    the links it left awaiting.
    """
    known = dict(copies.get_many([item["id"] for item in wanted]))
    missing = [item for item in wanted if item["id"] not in known]
    now = utcnow()
    for item in missing:
        copies.add_pending(item["id"], item["type"], now)
    if missing:
        known.update(copies.get_many([item["id"] for item in missing], for_update=True))
    return known

