"""marshmallow building blocks every service's API shares."""
from __future__ import annotations

from marshmallow import RAISE, Schema, fields, validate

from crm_shared.pagination import DEFAULT_LIMIT, MAX_LIMIT


class StrictSchema(Schema):
    """Refuses fields it does not know (422 naming them)."""

    class Meta:
        unknown = RAISE


class PageArgsSchema(StrictSchema):
    """The query of a keyset list: a page size and the `next_cursor` of the previous page."""

    limit = fields.Integer(load_default=DEFAULT_LIMIT, validate=validate.Range(min=1, max=MAX_LIMIT))
    cursor = fields.String(metadata={"description": "`next_cursor` of the previous page."})


def page_schema(item: type[Schema]) -> type[Schema]:
    """Return the schema of a page of `item`: {"items": [...], "next_cursor": str|null}."""
    return Schema.from_dict(
        {"items": fields.List(fields.Nested(item)), "next_cursor": fields.String(allow_none=True)},
        name=f"{item.__name__.removesuffix('Schema')}Page",
    )


class StreamTicketSchema(Schema):
    """A single-use ticket to open a server-sent-event stream without an Authorization header."""

    ticket = fields.String(metadata={"description": "The secret: spend it once, in the stream's `ticket` parameter."})
    expires_at = fields.String(metadata={"description": "Until when it opens the stream (RFC 3339, a minute)."})
    stream = fields.String(metadata={"description": "The stream's path with the ticket, to open within a minute."})


class RecordOutSchema(Schema):
    """The properties every versioned record answers with: its id, version and stamps."""

    id = fields.String(metadata={"description": "The record's UUID."})
    version = fields.Integer(metadata={"description": "1 at creation, one more per change (the ETag's number)."})
    created_at = fields.String(metadata={"description": "When it was created (RFC 3339, UTC)."})
    created_by = fields.String(metadata={"description": "The id of the user who created it."})
    updated_at = fields.String(metadata={"description": "When it last changed (RFC 3339, UTC)."})
    updated_by = fields.String(metadata={"description": "The id of the user who last changed it."})


class CreatedOutSchema(Schema):
    """The properties a record made once and never changed answers with: its id and who created it when."""

    id = fields.String(metadata={"description": "The record's UUID."})
    created_at = fields.String(metadata={"description": "When it was created (RFC 3339, UTC)."})
    created_by = fields.String(metadata={"description": "The id of the user who created it."})


class RecordRefSchema(Schema):
    """A reference to another record: its type, id and (when known) name."""

    type = fields.String(metadata={"description": "The kind of the record, e.g. person, deal."})
    id = fields.String(metadata={"description": "The record's UUID."})
    name = fields.String(allow_none=True, metadata={"description": "Its name, null while unknown."})


class UserRefSchema(Schema):
    """A user as a record names it: the id and the display name."""

    id = fields.String(metadata={"description": "The user's id."})
    name = fields.String(metadata={"description": "The user's display name."})


class ChangeSchema(Schema):
    """One field's value before and after a change."""

    field = fields.String()
    before = fields.Raw(allow_none=True)
    after = fields.Raw(allow_none=True)
