"""marshmallow fields the services' schemas share."""
from __future__ import annotations

import uuid
from datetime import datetime, timezone
from typing import Any

from marshmallow import ValidationError, fields

from crm_shared.decimals import to_decimal


class UUIDString(fields.String):
    """A UUID, kept as its canonical lower-case string."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        text = super()._deserialize(value, attr, data, **kwargs)
        try:
            return str(uuid.UUID(text))
        except ValueError:
            raise ValidationError("Not a valid UUID.") from None


class UTCTimestamp(fields.AwareDateTime):
    """An ISO 8601 / RFC 3339 timestamp with a zone, read as the same instant in UTC.

    Converting at the edge keeps comparisons and queries free of offsets: a time whose
    UTC instant lies outside the years 1–9999 (e.g. 0001-01-01T00:00:00+14:00) is refused here.
    """

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> datetime:
        moment = super()._deserialize(value, attr, data, **kwargs)
        try:
            return moment.astimezone(timezone.utc)
        except OverflowError:
            raise ValidationError("Out of range: the time in UTC must fall within the years 1 to 9999.") from None


class DecimalText(fields.Field):
    """An exact decimal given as a string (or a JSON number), kept as Decimal inside, written as a string."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Any:
        try:
            return to_decimal(value)
        except ValueError as exc:
            raise ValidationError(str(exc)) from None
