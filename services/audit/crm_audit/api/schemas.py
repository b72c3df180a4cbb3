"""The audit API's query parameters and answers."""
from __future__ import annotations

import re
from typing import Any

from marshmallow import RAISE, Schema, ValidationError, fields, validate, validates_schema

from crm_audit.domain.entries import MAX_KEY_LENGTH, MAX_NAME_LENGTH
from crm_audit.queries import EXPORT_FORMATS
from crm_shared.schemas import ChangeSchema, PageArgsSchema, UserRefSchema, page_schema
from crm_shared.schema_fields import UTCTimestamp

# "+01:00" typed into a URL unencoded arrives as " 01:00"
_SPACED_OFFSET = re.compile(r"(.*\d) (\d{2}:\d{2})")


class Rfc3339(UTCTimestamp):
    """An RFC 3339 timestamp with a zone; an offset whose "+" became a space is read as "+"."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Any:
        if isinstance(value, str) and (spaced := _SPACED_OFFSET.fullmatch(value)):
            value = f"{spaced.group(1)}+{spaced.group(2)}"
        return super()._deserialize(value, attr, data, **kwargs)


def _key(description: str, limit: int) -> fields.String:
    return fields.String(validate=validate.Length(min=1, max=limit), metadata={"description": description})


class FilterQuery(Schema):
    """The filters shared by the list and the export."""

    class Meta:
        unknown = RAISE

    from_ = Rfc3339(data_key="from", metadata={"description": "Entries at or after this time (RFC 3339)."})
    to = Rfc3339(metadata={"description": "Entries before this time (RFC 3339)."})
    user_id = _key("Who made the change.", MAX_KEY_LENGTH)
    object_type = _key("person, company, deal, task, …", MAX_NAME_LENGTH)
    object_id = _key("The changed object's id.", MAX_KEY_LENGTH)
    operation = _key("created, updated, deleted, …", MAX_NAME_LENGTH)

    @validates_schema
    def _range_is_forward(self, data: dict[str, Any], **_: Any) -> None:
        if "from_" in data and "to" in data and data["to"] <= data["from_"]:
            raise ValidationError("Must be later than `from`.", "to")


class ListQuery(PageArgsSchema, FilterQuery):
    """The list's filters and pagination."""


class ExportQuery(FilterQuery):
    """The export's filters and file format."""

    format = fields.String(load_default="xlsx", validate=validate.OneOf(EXPORT_FORMATS))


class AuditUserSchema(UserRefSchema):
    """Who made the change."""


class AuditEntrySchema(Schema):
    """An audit entry as contract.md shows it, plus the channel the change came through and its correlation id."""

    id = fields.String()
    occurred_at = fields.AwareDateTime()
    user = fields.Nested(AuditUserSchema)
    object_type = fields.String()
    object_id = fields.String()
    object_name = fields.String(allow_none=True)
    object_link = fields.String(allow_none=True)
    operation = fields.String()
    changes = fields.List(fields.Nested(ChangeSchema))
    channel = fields.String()
    correlation_id = fields.String(metadata={"description": "The request id that caused the change "
                                                            "(X-Request-ID; shared by one request's entries)."})
    restored_from = fields.String(allow_none=True, metadata={
        "description": "The entry whose `before` value this change put back (a restore), else null."})


class RestoreIn(Schema):
    """Which field of the entry's record to put back to the entry's `before` value."""

    class Meta:
        unknown = RAISE

    field = fields.String(required=True, validate=validate.Length(min=1, max=MAX_NAME_LENGTH),
                          metadata={"description": "A field the entry changed, e.g. `phones`."})


class RestoredSchema(Schema):
    """What a restore put back; its own entry (`restored_from` = this entry) follows shortly, sharing the
    request's X-Request-ID as its `correlation_id`."""

    restored_from = fields.String(metadata={"description": "The entry restored."})
    field = fields.String()
    value = fields.Raw(allow_none=True, metadata={"description": "The value put back (the entry's `before`)."})
    object_link = fields.String()
    record = fields.Dict(metadata={"description": "The record as its owning service answered after the change."})


AuditEntryPageSchema = page_schema(AuditEntrySchema)
