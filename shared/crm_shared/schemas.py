"""marshmallow building blocks every service's API shares."""
from __future__ import annotations

from marshmallow import RAISE, Schema, fields


class StrictSchema(Schema):
    """Refuses fields it does not know (422 naming them)."""

    class Meta:
        unknown = RAISE


def page_schema(item: type[Schema]) -> type[Schema]:
    """Return the schema of a page of `item`: {"items": [...], "next_cursor": str|null}."""
    return Schema.from_dict(
        {"items": fields.List(fields.Nested(item)), "next_cursor": fields.String(allow_none=True)},
        name=f"{item.__name__.removesuffix('Schema')}Page",
    )
