"""The deals service's copy of the tasks service's task templates, and the post-sale template rule.

A process may name a task template for a won deal and one for a lost deal; the tasks
service applies it when the deal closes. The deals service checks those ids against its own
copy of the templates, kept from `crm.task_template.*` events, never by asking the tasks service.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass


#: The fields of a process that name a post-sale task template.
TEMPLATE_FIELDS = ("won_task_template_id", "lost_task_template_id")


@dataclass(frozen=True)
class KnownTemplate:
    """What the deals service knows of a task template: pending until its event came, gone once deleted."""

    id: str
    name: str | None
    pending: bool = False
    gone: bool = False
    sequence: int = 0


def well_formed(template_id: object) -> bool:
    """Tell whether an id could name a task template (a UUID in its canonical lower-case text form)."""
    if not isinstance(template_id, str):
        return False
    try:
        return str(uuid.UUID(template_id)) == template_id
    except ValueError:
        return False


def template_problem(template_id: object, known: KnownTemplate | None) -> str | None:
    """Return why a process may not name this template, or None (unknown ones are accepted as pending)."""
    if not well_formed(template_id):
        return "Not a task template id."
    if known is not None and known.gone:
        return f"The task template {known.name or template_id} has been deleted."
    return None
