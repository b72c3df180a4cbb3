"""marshmallow fields the services' schemas share."""
from __future__ import annotations

import uuid
from typing import Any

from marshmallow import ValidationError, fields


class UUIDString(fields.String):
    """A UUID, kept as its canonical lower-case string."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        text = super()._deserialize(value, attr, data, **kwargs)
        try:
            return str(uuid.UUID(text))
        except ValueError:
            raise ValidationError("Not a valid UUID.") from None
