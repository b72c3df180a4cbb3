"""Checking the contacts a deal links against the service's copy (`crm_shared.linking`)."""
from __future__ import annotations

from typing import Any, Iterable, Mapping, Sequence

from crm_shared.linking import judge_links

from crm_deals.domain.links import Link
from crm_deals.service_layer.unit_of_work import DealsUnitOfWork


def resolve(uow: DealsUnitOfWork, wanted: Sequence[Mapping[str, Any]], kept: Iterable[Link] = ()) -> list[Link]:
    """Turn `[{"type","id"}]` into links with names; a contact not known yet is linked as awaiting,
    one the caller may not see as hidden (answered like an unknown id); kept links stay."""
    return judge_links(uow.viewer, uow.contacts, wanted, kept)
