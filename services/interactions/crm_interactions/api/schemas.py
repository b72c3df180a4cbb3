"""What the interactions API accepts and answers; money travels as strings ("12.50") to stay exact."""
from __future__ import annotations

from typing import Any

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from crm_shared.links import CONTACT_KINDS
from crm_shared.schema_fields import DecimalText, UTCTimestamp, UUIDString
from crm_shared.schemas import (
    CreatedOutSchema, PageArgsSchema, RecordOutSchema, RecordRefSchema, StrictSchema, UserRefSchema, page_schema,
)

from crm_interactions.domain.entries import INBOUND_KINDS, SOURCES, STATUSES
from crm_interactions.domain.templates import INITIATORS, METHODS

Description = lambda: fields.String(allow_none=True, validate=validate.Length(max=500))  # noqa: E731


class TemplateInSchema(StrictSchema):
    code = fields.String(required=True, validate=validate.Length(min=1, max=20))
    description = Description()
    method = fields.String(required=True, validate=validate.OneOf(METHODS))
    initiated_by = fields.String(required=True, validate=validate.OneOf(INITIATORS))
    unit_cost = DecimalText(metadata={"type": "string", "description": "An exact decimal."})
    unit_duration_minutes = fields.Integer(validate=validate.Range(min=0, max=100_000))
    attachment_id = UUIDString(allow_none=True)


class TemplatePatchSchema(StrictSchema):
    code = fields.String(validate=validate.Length(min=1, max=20))
    description = Description()
    method = fields.String(validate=validate.OneOf(METHODS))
    initiated_by = fields.String(validate=validate.OneOf(INITIATORS))
    unit_cost = DecimalText(metadata={"type": "string"})
    unit_duration_minutes = fields.Integer(validate=validate.Range(min=0, max=100_000))
    attachment_id = UUIDString(allow_none=True)


class TemplateOutSchema(RecordOutSchema):
    code = fields.String()
    description = fields.String(allow_none=True)
    method = fields.String()
    initiated_by = fields.String()
    unit_cost = fields.String(metadata={"description": "An exact decimal."})
    unit_duration_minutes = fields.Integer()
    attachment_id = fields.String(allow_none=True)


class ContactInSchema(StrictSchema):
    type = fields.String(required=True, validate=validate.OneOf(CONTACT_KINDS))
    id = UUIDString(required=True)


class LogInSchema(StrictSchema):
    template_id = UUIDString(required=True)
    contact = fields.Nested(ContactInSchema)
    group_id = UUIDString()
    description = Description()
    method = fields.String(validate=validate.OneOf(METHODS))
    initiated_by = fields.String(validate=validate.OneOf(INITIATORS))
    cost = DecimalText(metadata={"type": "string"})
    duration_minutes = fields.Integer(validate=validate.Range(min=0, max=100_000))
    occurred_at = UTCTimestamp()
    attachment_id = UUIDString(allow_none=True)

    @validates_schema
    def _one_target(self, data: dict[str, Any], **_: Any) -> None:
        if ("contact" in data) == ("group_id" in data):
            raise ValidationError("Name either a contact or a group.", "contact")


class InboundInSchema(StrictSchema):
    kind = fields.String(required=True, validate=validate.OneOf(INBOUND_KINDS))
    contact = fields.Nested(ContactInSchema, required=True)
    subject = fields.String(allow_none=True, validate=validate.Length(max=500))
    occurred_at = UTCTimestamp()


class Filters(StrictSchema):
    contact_id = UUIDString()
    template_id = UUIDString()
    user_id = fields.String(validate=validate.Length(min=1, max=64))
    occurred_from = UTCTimestamp(data_key="from")
    occurred_to = UTCTimestamp(data_key="to")
    status = fields.String(validate=validate.OneOf(STATUSES))
    processed = fields.Boolean()
    source = fields.String(validate=validate.OneOf(SOURCES))


class EntryListArgsSchema(Filters, PageArgsSchema):
    pass


class DeleteCanceledSchema(Filters):
    ids = fields.List(UUIDString(), validate=validate.Length(min=1, max=500))
    dry_run = fields.Boolean(load_default=False)


class StatisticsArgsSchema(StrictSchema):
    contact_id = UUIDString()
    template_id = UUIDString()
    user_id = fields.String(validate=validate.Length(min=1, max=64))
    occurred_from = UTCTimestamp(data_key="from")
    occurred_to = UTCTimestamp(data_key="to")


class ContactOutSchema(RecordRefSchema):
    """The contact an entry is about (`deleted`: gone for good)."""

    deleted = fields.Boolean()


class EntryOutSchema(RecordOutSchema):
    """An entry of the interaction log: what happened with a contact, when, and how it was logged."""

    template_id = fields.String(allow_none=True, metadata={"description": "The template it was logged from."})
    template_code = fields.String(allow_none=True, metadata={"description": "That template's code when logged."})
    contact = fields.Nested(ContactOutSchema)
    user = fields.Nested(UserRefSchema, metadata={"description": "Whose interaction it was."})
    method = fields.String(metadata={"description": "`phone`, `email`, `meeting`, `letter`, `chat` or `other`."})
    initiated_by = fields.String(metadata={"description": "`us` or `them` (the contact)."})
    cost = fields.String(metadata={"description": "An exact decimal."})
    duration_minutes = fields.Integer()
    occurred_at = fields.String(metadata={"description": "When it happened (RFC 3339, UTC)."})
    description = fields.String(allow_none=True)
    status = fields.String(metadata={"description": "`logged` or `canceled`."})
    processed = fields.Boolean(metadata={"description": "Whether an inbound communication was dealt with."})
    source = fields.String(metadata={"description": "`manual`, `segment`, `rule` or `inbound`."})
    kind = fields.String(allow_none=True, metadata={"description": "The kind of an inbound communication."})
    attachment_id = fields.String(allow_none=True)


class EntryItemsSchema(Schema):
    items = fields.List(fields.Nested(EntryOutSchema))


class DeletionSchema(Schema):
    deleted = fields.Integer()
    dry_run = fields.Boolean()
    operation_id = fields.String(allow_none=True)
    ids = fields.List(fields.String())


class TotalsSchema(Schema):
    count = fields.Integer()
    total_cost = fields.String()
    total_duration_minutes = fields.Integer()


class StatisticsSchema(TotalsSchema):
    by_method = fields.Dict(keys=fields.String(), values=fields.Nested(TotalsSchema))
    by_initiator = fields.Dict(keys=fields.String(), values=fields.Nested(TotalsSchema))


class RuleInSchema(StrictSchema):
    event_type = fields.String(required=True, validate=validate.Length(min=1, max=120))
    template_id = UUIDString(required=True)
    task_type_id = UUIDString(allow_none=True)
    enabled = fields.Boolean(load_default=True)


class RulePatchSchema(StrictSchema):
    event_type = fields.String(validate=validate.Length(min=1, max=120))
    template_id = UUIDString()
    task_type_id = UUIDString(allow_none=True)
    enabled = fields.Boolean()


class RuleOutSchema(RecordOutSchema):
    """An automatic rule: an entry of a template logged for each contact an event of a type links."""

    event_type = fields.String(metadata={"description": "The event type it answers, e.g. `crm.deal.won`."})
    template_id = fields.String(metadata={"description": "The template its entries are logged from."})
    task_type_id = fields.String(allow_none=True, metadata={"description": "For `crm.task.completed`: only tasks "
                                                                         "of this type (null: any)."})
    enabled = fields.Boolean(metadata={"description": "False while it logs nothing."})


class AttachmentOutSchema(CreatedOutSchema):
    """An uploaded file, stored once and offered back as a download."""

    filename = fields.String(metadata={"description": "The name it is downloaded under."})
    content_type = fields.String(metadata={"description": "The media type it is downloaded with."})
    size = fields.Integer(metadata={"description": "Its length in bytes."})
    sha256 = fields.String(metadata={"description": "The SHA-256 of its content, in hex."})


TemplatePageSchema = page_schema(TemplateOutSchema)
EntryPageSchema = page_schema(EntryOutSchema)
RulePageSchema = page_schema(RuleOutSchema)
ListArgsSchema = PageArgsSchema
