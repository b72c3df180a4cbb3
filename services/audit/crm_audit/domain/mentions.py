"""The other objects an entry names, and redacting what it says of one that was anonymized (CON-4, AUD-6).

An entry's values name other objects by reference: a deal's or task's `links` change carries
`{"type","id","name"}`, an interaction's `contact` `{"type","id","name","deleted"}`. Any dict
with a string `type` and a string `id`, at any depth of a change's `before` or `after`, is such
a reference; the entry's own object is not a mention of it.
"""
from __future__ import annotations

from dataclasses import replace
from typing import Any, Iterator, Mapping

from crm_audit.domain.entries import AuditEntry
from crm_audit.domain.redaction import REDACTED, Anonymization, Subject, redact, subject_of

#: the members of a reference that identify the object and so stay readable
IDENTITY = ("type", "id")


def mentions_of(entry: AuditEntry) -> set[Subject]:
    """Return the objects the entry's changes name, other than its own object."""
    found = {subject for change in entry.changes for side in ("before", "after")
             for subject in _references(change.get(side))}
    found.discard(subject_of(entry))
    return found


def redact_mention(entry: AuditEntry, subject: Subject) -> AuditEntry:
    """Return the entry with what its references to `subject` say of it erased.

    A reference keeps its `type` and `id` (which object it was, as the deal still links it) and
    any null, boolean or number (how it was linked, e.g. `deleted`); its text and nested values
    (the name, and anything a producer may add) read `[redacted]`. Redacting twice changes nothing more.
    """
    changes = [{**change, **{side: _erased(change[side], subject) for side in ("before", "after") if side in change}}
               for change in entry.changes]
    return entry if changes == entry.changes else replace(entry, changes=changes)


def _references(value: Any) -> Iterator[Subject]:
    if isinstance(value, dict):
        if _reference(value) is not None:
            yield _reference(value)  # type: ignore[misc]
        for member in value.values():
            yield from _references(member)
    elif isinstance(value, list):
        for item in value:
            yield from _references(item)


def _reference(value: dict[str, Any]) -> Subject | None:
    kind, object_id = value.get("type"), value.get("id")
    if isinstance(kind, str) and kind and isinstance(object_id, str) and object_id:
        return (kind, object_id)
    return None


def _erased(value: Any, subject: Subject) -> Any:
    if isinstance(value, list):
        return [_erased(item, subject) for item in value]
    if not isinstance(value, dict):
        return value
    if _reference(value) == subject:
        return {key: member if key in IDENTITY or _harmless(member) else REDACTED for key, member in value.items()}
    return {key: _erased(member, subject) for key, member in value.items()}


def _harmless(value: Any) -> bool:
    # null, flags and numbers tell how the object was referenced, never who it is
    return value is None or isinstance(value, (bool, int, float))


def kept(entry: AuditEntry, anonymized: Mapping[Subject, Anonymization]) -> AuditEntry:
    """Return the entry as it may be stored, given the anonymized subjects among those it concerns.

    Its own subject's anonymization redacts by time (`redaction.redact`); a mention of an anonymized
    subject is redacted whenever the entry happened: the producing service may have named the
    subject from a copy its anonymization had not reached yet.
    """
    stored = redact(entry, anonymized.get(subject_of(entry)))
    for subject in sorted(mentions_of(entry) & anonymized.keys()):
        stored = redact_mention(stored, subject)
    return stored
