"""Templates (anyone creates; the creator or an admin changes) and automatic rules (admins only)."""
from __future__ import annotations

import uuid
from typing import Any, Mapping

from crm_shared.catalogue import read_page, remove_record, store_update
from crm_shared.errors import Conflict, Forbidden, NotFound
from crm_shared.preconditions import require_match
from crm_shared.types import utcnow

from crm_interactions.adapters.catalog import CURSOR_TYPES, sort_key
from crm_interactions.domain.events import CREATED, rule_changed, template_changed
from crm_interactions.domain.rules import Rule, new_rule
from crm_interactions.domain.templates import Template, new_template
from crm_interactions.service_layer.access import changeable_template, referenced_attachment, referenced_template
from crm_interactions.service_layer.unit_of_work import InteractionsUnitOfWork


def list_templates(uow: InteractionsUnitOfWork, limit: int, cursor: str | None) -> tuple[list[Template], str | None]:
    return read_page(uow, "templates", limit=limit, cursor=cursor, types=CURSOR_TYPES, key=sort_key)


def get_template(uow: InteractionsUnitOfWork, template_id: str) -> Template:
    with uow.reading():
        template = uow.templates.get(template_id)
    if template is None:
        raise NotFound(f"No interaction template with id {template_id}.")
    return template


def create_template(uow: InteractionsUnitOfWork, values: Mapping[str, Any]) -> Template:
    """Create a template with a code no other template has (409 otherwise)."""
    with uow:
        _check_references(uow, values, None)
        template = new_template(values, id=str(uuid.uuid4()), actor_id=uow.actor.id, now=utcnow())
        uow.templates.add(template)
        uow.emit(template_changed(template, CREATED, template.creation_changes()))
        uow.commit()
    return template


def update_template(uow: InteractionsUnitOfWork, template_id: str, patch: Mapping[str, Any],
                    if_match: str | None = None) -> Template:
    """Change a template; entries logged from it keep the settings they copied."""
    with uow:
        template = changeable_template(uow, template_id)
        require_match(if_match, template.version)
        _check_references(uow, patch, template.id)
        changed = store_update(uow, "templates", template.updated(patch, actor_id=uow.actor.id, now=utcnow()),
                               template_changed)
        uow.commit()
    return changed


def delete_template(uow: InteractionsUnitOfWork, template_id: str, if_match: str | None = None) -> None:
    """Delete a template no rule uses (409 otherwise); its entries keep its code and settings."""
    with uow:
        template = changeable_template(uow, template_id)
        require_match(if_match, template.version)
        if uow.rules.uses_template(template.id):
            raise Conflict("An automatic rule logs with this template; change or delete the rule first.")
        remove_record(uow, "templates", template, template_changed)
        uow.commit()


def _check_references(uow: InteractionsUnitOfWork, values: Mapping[str, Any], own_id: str | None) -> None:
    code = values.get("code")
    if code is not None:
        holder = uow.templates.with_code(str(code).strip().upper())
        if holder is not None and holder.id != own_id:
            raise Conflict(f"Another template has the code {holder.code}.", errors={"code": ["Already used."]})
    referenced_attachment(uow, values.get("attachment_id"))


def list_rules(uow: InteractionsUnitOfWork, limit: int, cursor: str | None) -> tuple[list[Rule], str | None]:
    _admin(uow)
    return read_page(uow, "rules", limit=limit, cursor=cursor, types=CURSOR_TYPES, key=sort_key)


def create_rule(uow: InteractionsUnitOfWork, values: Mapping[str, Any]) -> Rule:
    """Create a rule (admins) logging with an existing template."""
    _admin(uow)
    with uow:
        referenced_template(uow, values["template_id"])
        rule = new_rule(values, id=str(uuid.uuid4()), actor_id=uow.actor.id, now=utcnow())
        uow.rules.add(rule)
        uow.emit(rule_changed(rule, CREATED, rule.creation_changes()))
        uow.commit()
    return rule


def update_rule(uow: InteractionsUnitOfWork, rule_id: str, patch: Mapping[str, Any]) -> Rule:
    _admin(uow)
    with uow:
        rule = _rule(uow, rule_id)
        if "template_id" in patch:
            referenced_template(uow, patch["template_id"])
        changed = store_update(uow, "rules", rule.updated(patch, actor_id=uow.actor.id, now=utcnow()), rule_changed)
        uow.commit()
    return changed


def delete_rule(uow: InteractionsUnitOfWork, rule_id: str) -> None:
    _admin(uow)
    with uow:
        rule = _rule(uow, rule_id)
        remove_record(uow, "rules", rule, rule_changed)
        uow.commit()


def _rule(uow: InteractionsUnitOfWork, rule_id: str) -> Rule:
    rule = uow.rules.get(rule_id, for_update=True)
    if rule is None:
        raise NotFound(f"No interaction rule with id {rule_id}.")
    return rule


def _admin(uow: InteractionsUnitOfWork) -> None:
    if uow.viewer.role != "admin":
        raise Forbidden("Only admins manage automatic interaction rules.")

