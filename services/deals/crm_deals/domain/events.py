"""The events the lives of deals and processes produce, as the bus and the audit log see them."""
from __future__ import annotations

from crm_shared.changes import Change
from crm_shared.events import ObjectChanged

from crm_deals.domain.deals import Deal
from crm_deals.domain.processes import Process


def deal_changed(deal: Deal, operation: str, changes: list[Change]) -> ObjectChanged:
    """Describe a committed change of a deal; `state` carries its links for the contacts service.

    Hidden links (to contacts the linking user could not see) are not among them.
    """
    state = deal.state()
    state["links"] = [link.as_dict() for link in deal.links if link.reported]
    return ObjectChanged(
        object_type="deal", object_id=deal.id, object_name=deal.name, object_link=deal.link,
        operation=operation, sequence=deal.version, changes=tuple(changes), state=state,
    )


def process_changed(process: Process, operation: str, changes: list[Change]) -> ObjectChanged:
    """Describe a committed change of a sales process."""
    return ObjectChanged(
        object_type="process", object_id=process.id, object_name=process.name, object_link=process.link,
        operation=operation, sequence=process.version, changes=tuple(changes), state=process.state(),
    )
