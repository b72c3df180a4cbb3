"""Merging one contact into another of the same kind: what the target looks like afterwards."""
from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any, Iterable

from crm_shared.changes import Change

from crm_contacts.domain.model import LIST_FIELDS, Contact, ContactRuleBroken

#: besides the editable fields, consents are merged too (per purpose, the newer one wins)
EXTRA_MERGED = ("consents",)


def mergeable_fields(contact: Contact) -> tuple[str, ...]:
    """Return the fields a merge combines."""
    return (*contact.editable, *EXTRA_MERGED)


def merged(
    target: Contact, source: Contact, prefer_source: Iterable[str], *, actor_id: str, now: datetime
) -> tuple[Contact, list[Change]]:
    """Return the target with the source merged in, and the target's fields that changed.

    Lists are united (target's items first; source's first for fields in `prefer_source`).
    Scalars: the target's non-empty value wins unless the field is in `prefer_source` and
    the source's value is non-empty; empty target fields are filled from the source.
    """
    prefer = set(prefer_source)
    _check(target, source, prefer)
    values = {name: _combine(name, getattr(target, name), getattr(source, name), name in prefer)
              for name in mergeable_fields(target)}
    proposed = replace(target, **values)
    proposed.check()
    names = mergeable_fields(target)
    changes = [Change(n, getattr(target, n), values[n]) for n in names if getattr(target, n) != values[n]]
    return target.next_version(proposed, actor_id=actor_id, now=now), changes


def _check(target: Contact, source: Contact, prefer: set[str]) -> None:
    if type(target) is not type(source):
        raise ContactRuleBroken({"source_id": [f"Only a {target.kind} can be merged into a {target.kind}."]})
    if target.id == source.id:
        raise ContactRuleBroken({"source_id": ["A record cannot be merged into itself."]})
    unknown = sorted(prefer - set(mergeable_fields(target)))
    if unknown:
        raise ContactRuleBroken({"prefer_source": [f"Unknown fields: {', '.join(unknown)}."]})


def _combine(name: str, ours: Any, theirs: Any, prefer_theirs: bool) -> Any:
    if name in LIST_FIELDS:
        first, second = (theirs, ours) if prefer_theirs else (ours, theirs)
        return list(dict.fromkeys([*first, *second]))
    if name == "consents":
        return _combine_consents(ours, theirs, prefer_theirs)
    if _empty(ours) or (prefer_theirs and not _empty(theirs)):
        return theirs
    return ours


def _combine_consents(ours: dict[str, Any], theirs: dict[str, Any], prefer_theirs: bool) -> dict[str, Any]:
    result = dict(ours)
    for purpose, consent in theirs.items():
        mine = result.get(purpose)
        if mine is None or prefer_theirs or str(consent.get("at", "")) > str(mine.get("at", "")):
            result[purpose] = consent
    return result


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}
