"""The events the lives of deals and processes produce, as the bus and the audit log see them."""
from __future__ import annotations

from crm_shared.changes import Change
from crm_shared.events import ObjectChanged

from crm_deals.domain.deals import Deal
from crm_deals.domain.processes import Process


def deal_changed(deal: Deal, operation: str, changes: list[Change], process: Process | None) -> ObjectChanged:
    """Describe a committed change of a deal in `process` (the deal's process at the time of the change).

    `state` carries the deal's links for the contacts service (not the hidden ones, to contacts
    the linking user could not see), and its process's post-sale task templates
    (`won_task_template_id`, `lost_task_template_id`, None when none), so the tasks service can
    apply the right one from a won or lost event alone.
    """
    post_sale = process.post_sale() if process is not None else {
        "won_task_template_id": None, "lost_task_template_id": None}
    state = {**deal.state(), **post_sale}
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
