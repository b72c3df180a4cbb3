"""Looking companies up in a business register and copying the register's data onto one (CON-12)."""
from __future__ import annotations

from typing import Callable

from crm_shared.errors import NotFound, ValidationFailed

from crm_contacts.domain.model import Contact
from crm_contacts.domain.search_links import search_links
from crm_contacts.domain.visibility import Viewer
from crm_contacts.registry.base import Registry, RegistryCompany
from crm_contacts.registry.ico import InvalidIco, normalize_ico
from crm_contacts.service_layer.contacts import get_contact, update_contact
from crm_contacts.service_layer.unit_of_work import ContactsUnitOfWork

Uows = Callable[[], ContactsUnitOfWork]
#: the longest company name the contacts store keeps
MAX_NAME_LENGTH = 300


def find_by_reg_id(registry: Registry, reg_id: str, *, field: str = "ico") -> RegistryCompany:
    """Return the registered company with this IČO; a bad check digit is refused before any call."""
    try:
        valid = normalize_ico(reg_id)
    except InvalidIco as exc:
        raise ValidationFailed({field: [str(exc)]}) from exc
    found = registry.by_reg_id(valid)
    if found is None:
        raise NotFound(f"The register {registry.name} has no company with IČO {valid}.")
    return found


def find_by_name(registry: Registry, name: str, *, limit: int) -> list[RegistryCompany]:
    """Return the registered companies whose name matches."""
    return registry.by_name(name, limit=limit)


def fill_from_registry(
    uows: Uows, registry: Registry, company_id: str, viewer: Viewer, *, reg_id: str | None = None,
    if_match: str | None = None,
) -> Contact:
    """Copy the register's name, IČO, DIČ and address onto a company, as an ordinary (audited) update."""
    company = get_contact(uows(), "company", company_id, viewer)
    wanted = reg_id or getattr(company, "reg_id", None)
    if not wanted:
        raise ValidationFailed({"reg_id": ["The company has no IČO to look up; give one."]})
    found = find_by_reg_id(registry, wanted, field="reg_id")
    patch = {key: value for key, value in found.company_patch().items() if value is not None}
    patch["name"] = patch["name"][:MAX_NAME_LENGTH]
    return update_contact(uows(), "company", company_id, patch, viewer, if_match=if_match)


def company_search_links(uows: Uows, company_id: str, viewer: Viewer) -> dict[str, str]:
    """Return the web searches for a company the viewer may see."""
    return search_links(get_contact(uows(), "company", company_id, viewer).display_name)
