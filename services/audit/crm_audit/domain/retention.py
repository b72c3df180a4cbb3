"""How long the audit log keeps entries: whole UTC months, counted back from the current one."""
from __future__ import annotations

from datetime import datetime, timezone


def month_start(moment: datetime) -> datetime:
    """Return the first moment (UTC) of the month `moment` falls in; a naive time is taken as UTC."""
    utc = moment.astimezone(timezone.utc) if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
    return datetime(utc.year, utc.month, 1, tzinfo=timezone.utc)


def add_months(month: datetime, count: int) -> datetime:
    """Return the first moment of the month `count` months after (or before) `month`'s."""
    index = month.year * 12 + month.month - 1 + count
    return datetime(index // 12, index % 12 + 1, 1, tzinfo=timezone.utc)


def retention_cutoff(now: datetime, months: int | None) -> datetime | None:
    """Return the moment before which entries go: the current month and `months` before it stay.

    None (or 0) keeps everything.
    """
    if not months:
        return None
    return add_months(month_start(now), -months)
