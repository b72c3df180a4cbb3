"""What restoring a field from an entry puts back, and when there is nothing to put back (AUD-8)."""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, Mapping

from crm_shared.moments import moment
from crm_shared.rules import StateConflict, broken

from crm_audit.domain.entries import AuditEntry
from crm_audit.domain.redaction import REDACTED

#: the operations whose changes put a field from an earlier value to a later one
RESTORABLE_OPERATIONS = ("updated", "merged")
#: the request field naming what to restore
FIELD = "field"
#: an object link the suite's services write: /api/v1/<prefix>/<id>…, nothing that leaves its owner's paths
_LINK = re.compile(r"/api/v1/[a-z][a-z0-9-]*(/[A-Za-z0-9_~-][A-Za-z0-9._~-]*)+")


@dataclass(frozen=True)
class Restore:
    """Put `field` of the entry's object back from `after` (what the entry made it) to `before`."""

    entry_id: str
    object_link: str
    field: str
    before: Any
    after: Any


def restore_of(entry: AuditEntry, field: str) -> Restore:
    """Return what restoring `field` from `entry` puts back; refuse an entry or field with nothing to restore."""
    if entry.operation not in RESTORABLE_OPERATIONS:
        raise StateConflict(f"An entry of the operation `{entry.operation}` has no earlier value to put back; "
                            f"only entries of {' and '.join(RESTORABLE_OPERATIONS)} changes can be restored.")
    if not entry.object_link or not _LINK.fullmatch(entry.object_link):
        raise StateConflict("This entry names no record that can be restored.")
    change = next((change for change in entry.changes if change.get("field") == field), None)
    if change is None:
        raise broken(FIELD, f"The entry did not change `{field}`; it changed "
                            f"{', '.join(repr(c.get('field')) for c in entry.changes) or 'no field'}.")
    if _redacted(change.get("before")) or _redacted(change.get("after")):
        raise StateConflict(f"The values of `{field}` in this entry were erased when its subject was anonymized; "
                            "there is nothing to put back.")
    return Restore(entry.id, entry.object_link, field, change.get("before"), change.get("after"))


def check_unchanged(restore: Restore, record: Mapping[str, Any]) -> None:
    """Refuse to restore a field that is not the record's, or whose value changed since the entry."""
    if restore.field not in record:
        raise broken(FIELD, f"`{restore.field}` is not a field of the record that can be restored.")
    current = record[restore.field]
    if not same_value(restore.after, current):
        raise StateConflict(
            f"`{restore.field}` was changed since this entry: it is now {_shown(current)}, not "
            f"{_shown(restore.after)} as the entry left it. Restore from the latest entry instead.",
            field=restore.field, current=current)


def same_value(recorded: Any, current: Any) -> bool:
    """Tell whether a value recorded in an entry is the record's current value, as each service writes it.

    Timestamps and decimals may be spelled differently by the entry and the record; a recorded
    object (a link) matches a current one that has the same values and perhaps more keys.
    """
    if recorded == current:
        return True
    if isinstance(recorded, list) and isinstance(current, list):
        return len(recorded) == len(current) and all(map(same_value, recorded, current))
    if isinstance(recorded, Mapping) and isinstance(current, Mapping):
        return all(key in current and same_value(value, current[key]) for key, value in recorded.items())
    if isinstance(recorded, str) and isinstance(current, str):
        return _same_scalar(recorded, current)
    return False


def _same_scalar(recorded: str, current: str) -> bool:
    for read in (moment, _decimal):
        left, right = read(recorded), read(current)
        if left is not None and right is not None:
            return bool(left == right)
    return False


def _decimal(text: str) -> Decimal | None:
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def _redacted(value: Any) -> bool:
    if isinstance(value, list):
        return any(map(_redacted, value))
    if isinstance(value, Mapping):
        return any(map(_redacted, value.values()))
    return value == REDACTED


def _shown(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)
