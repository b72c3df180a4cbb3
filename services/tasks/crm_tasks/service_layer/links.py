"""Checking the records a task links against the service's copies (`crm_shared.linking`).

A person, company or deal the caller may not see is refused exactly like an id the copy does
not know: 422 on `links.N.id`, "No <kind> with this id.", nothing written, so a link never
tells whether an invisible record exists. A space is this service's own and must exist.
Links the task already has are kept whatever became of their records.
"""
from __future__ import annotations

from typing import Any, Callable, Iterable, Mapping, Sequence

from crm_shared.linking import REFUSE, judge_links
from crm_shared.links import Link
from crm_shared.visibility import Viewer, can_see

from crm_tasks.service_layer.unit_of_work import TasksUnitOfWork

SPACE = "space"


def resolve(uow: TasksUnitOfWork, wanted: Sequence[Mapping[str, Any] | Link] | None,
            kept: Iterable[Link] = ()) -> list[Link]:
    """Turn `[{"type","id"}]` into links; 422 naming `links.N.<field>` for a record not to link."""
    items = [item.as_dict() if isinstance(item, Link) else {"type": item.get("type"), "id": str(item.get("id"))}
             for item in wanted or ()]

    def space(space_id: str) -> Link | None:
        found = uow.spaces.get(space_id)
        return Link(SPACE, space_id, found.name) if found is not None else None

    return judge_links(uow.viewer, uow.records, items, kept, local={SPACE: space}, unknown=REFUSE)


def sees_link(viewer: Viewer) -> Callable[[Link], bool]:
    """Return the test of whether a reader may see a linked record's name (a space's: always)."""
    return lambda link: link.type == SPACE or (link.owner_id is not None and can_see(viewer, link.owner_id))
