"""Creating, changing and listing sales processes."""
from __future__ import annotations

from typing import Any, Mapping

from crm_shared.catalogue import create_record, read_page
from crm_shared.errors import Conflict, NotFound, ValidationFailed
from crm_shared.pagination import decode_cursor, page
from crm_shared.types import utcnow

from crm_deals.adapters import processes as process_rows
from crm_deals.adapters import sources
from crm_deals.domain.events import process_changed
from crm_deals.domain.processes import Process, new_process
from crm_deals.service_layer.task_templates import with_template_names
from crm_deals.service_layer.unit_of_work import DealsUnitOfWork


def create_process(uow: DealsUnitOfWork, values: Mapping[str, Any]) -> Process:
    """Create a sales process; its event commits with it. Post-sale templates are checked against the copy."""

    def build(given: Mapping[str, Any], **made: Any) -> Process:
        # in the creating transaction: the template copies are locked before the process row
        return new_process(with_template_names(uow, given), **made)

    return create_record(uow, "processes", build, values, process_changed)


def get_process(uow: DealsUnitOfWork, process_id: str) -> Process:
    """Return a process or raise NotFound."""
    with uow.reading():
        return existing_process(uow, process_id)


def list_processes(uow: DealsUnitOfWork, *, limit: int, cursor: str | None) -> tuple[list[Process], str | None]:
    """Return a page of processes, the default first."""
    return read_page(uow, "processes", limit=limit, cursor=cursor, types=process_rows.CURSOR_TYPES,
                     key=process_rows.sort_key)


def update_process(uow: DealsUnitOfWork, process_id: str, patch: Mapping[str, Any]) -> Process:
    """Rename, re-stage or re-template a process; a stage an open deal is in cannot be removed."""
    with uow:
        patch = with_template_names(uow, patch)
        process = existing_process(uow, process_id, for_update=True)
        changed, changes, removed = process.updated(patch, actor_id=uow.actor.id, now=utcnow())
        in_use = uow.processes.stages_used_by_open_deals(removed)
        if in_use:
            names = ", ".join(changed.retired_stages[i] for i in sorted(in_use))
            raise Conflict(f"Open deals are in the stages {names}; move them before removing the stages.",
                           stages=sorted(in_use))
        if changes or changed is not process:
            uow.processes.save(changed)
            if changes:
                uow.emit(process_changed(changed, "updated", changes))
            uow.commit()
    return changed


def process_for_deal(uow: DealsUnitOfWork, process_id: str | None) -> Process:
    """Return the process a deal names (422 on `process_id` when there is none), or the default one."""
    try:
        return existing_process(uow, process_id)
    except NotFound:
        raise ValidationFailed({"process_id": [f"No process with id {process_id}."]}) from None


def existing_process(uow: DealsUnitOfWork, process_id: str | None, *, for_update: bool = False) -> Process:
    """Return the named process, or the default one when none is named; raise NotFound."""
    process = uow.processes.get(process_id, for_update=for_update) if process_id else uow.processes.default()
    if process is None:
        raise NotFound(f"No process with id {process_id}.")
    return process


def list_sources(uow: DealsUnitOfWork, *, limit: int, cursor: str | None) -> tuple[list[dict[str, Any]], str | None]:
    """Return a page of the acquisition sources in their order."""
    after = decode_cursor(cursor, sources.CURSOR_TYPES)
    with uow.reading():
        rows = uow.sources.page(limit=limit + 1, after=after)
    return page(rows, limit, sources.sort_key)


def add_source(uow: DealsUnitOfWork, name: str) -> dict[str, str]:
    """Add an acquisition source; names are unique."""
    with uow:
        if name.strip() in uow.sources.names():
            raise Conflict(f"The source {name} exists already.")
        source = uow.sources.add(name.strip())
        uow.commit()
    return source


def remove_source(uow: DealsUnitOfWork, source_id: str) -> bool:
    """Remove an acquisition source; return whether it existed."""
    with uow:
        removed = uow.sources.remove(source_id)
        uow.commit()
    return removed
