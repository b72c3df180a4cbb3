"""What the deals API accepts and answers; money travels as strings ("1234.50") to stay exact."""
from __future__ import annotations

from marshmallow import Schema, fields, validate

from crm_shared.schema_fields import DecimalText, UUIDString
from crm_shared.schemas import PageArgsSchema, RecordOutSchema, RecordRefSchema, StrictSchema, page_schema

from crm_deals.domain.deal_query import SORTS
from crm_deals.domain.deals import STATUSES
from crm_deals.domain.links import LINK_TYPES
from crm_deals.domain.money import CURRENCIES


class StageInSchema(StrictSchema):
    id = UUIDString()
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))


class ProcessInSchema(StrictSchema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    stages = fields.List(fields.Nested(StageInSchema), validate=validate.Length(min=1, max=50))
    won_task_template_id = UUIDString(allow_none=True)
    lost_task_template_id = UUIDString(allow_none=True)


class StageOutSchema(Schema):
    id = fields.String()
    name = fields.String()


class ProcessOutSchema(RecordOutSchema):
    name = fields.String()
    stages = fields.List(fields.Nested(StageOutSchema))
    won_task_template_id = fields.String(allow_none=True)
    won_task_template_name = fields.String(allow_none=True)
    lost_task_template_id = fields.String(allow_none=True)
    lost_task_template_name = fields.String(allow_none=True)
    is_default = fields.Boolean()


class LinkInSchema(StrictSchema):
    type = fields.String(required=True, validate=validate.OneOf(LINK_TYPES))
    id = UUIDString(required=True)


class ProductLineInSchema(StrictSchema):
    id = UUIDString()
    product = fields.String(allow_none=True, validate=validate.Length(max=300))
    code = fields.String(allow_none=True, validate=validate.Length(max=100))
    quantity = DecimalText(required=True)
    unit_price = DecimalText(required=True)
    discount_percent = DecimalText(load_default=None)


class DealInSchema(StrictSchema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=300))
    value = DecimalText(allow_none=True)
    currency = fields.String(validate=validate.OneOf(sorted(CURRENCIES), error="Not an ISO 4217 currency code."))
    source = fields.String(allow_none=True, validate=validate.Length(max=100))
    process_id = UUIDString()
    stage_id = UUIDString()
    planned_close_date = fields.Date(allow_none=True)
    owner_id = UUIDString()
    links = fields.List(fields.Nested(LinkInSchema), validate=validate.Length(max=200))
    products = fields.List(fields.Nested(ProductLineInSchema), validate=validate.Length(max=500))


class LostSchema(StrictSchema):
    reason = fields.String(required=True, validate=validate.Length(min=1, max=2000))


class ReopenSchema(StrictSchema):
    stage_id = UUIDString()


class LinkOutSchema(RecordRefSchema):
    """A contact the deal links."""


def exact(description: str) -> fields.String:
    """Return an answer's exact decimal, written as a string so that no float rounds it."""
    return fields.String(metadata={"description": f"{description}: an exact decimal as a string, e.g. \"1234.50\"."})


class ProductLineOutSchema(Schema):
    id = fields.String()
    product = fields.String(allow_none=True)
    code = fields.String(allow_none=True)
    quantity = exact("How many units")
    unit_price = exact("The price of one unit")
    discount_percent = exact("The discount off the line's price, in percent")
    total = exact("quantity × unit_price less the discount")


class DealOutSchema(RecordOutSchema):
    name = fields.String()
    value = exact("The deal's value (the sum of its product lines when it has any)")
    currency = fields.String(validate=validate.OneOf(sorted(CURRENCIES)))
    source = fields.String(allow_none=True)
    process_id = fields.String()
    process_name = fields.String()
    stage_id = fields.String()
    stage_name = fields.String()
    status = fields.String(validate=validate.OneOf(STATUSES))
    lost_reason = fields.String(allow_none=True)
    planned_close_date = fields.String(allow_none=True)
    owner_id = fields.String()
    links = fields.List(fields.Nested(LinkOutSchema))
    products = fields.List(fields.Nested(ProductLineOutSchema))
    closed_at = fields.String(allow_none=True)


class DealListArgsSchema(PageArgsSchema):
    status = fields.String(validate=validate.OneOf(STATUSES))
    process_id = UUIDString()
    stage_id = UUIDString()
    owner_id = UUIDString()
    contact_id = UUIDString()
    close_from = fields.Date()
    close_to = fields.Date()
    sort = fields.String(load_default="-created_at", validate=validate.OneOf(list(SORTS)))


class SummaryArgsSchema(StrictSchema):
    process_id = UUIDString()
    status = fields.String(load_default="open", validate=validate.OneOf(STATUSES))
    owner_id = UUIDString()
    contact_id = UUIDString()
    close_from = fields.Date()
    close_to = fields.Date()


class TotalSchema(Schema):
    currency = fields.String(validate=validate.OneOf(sorted(CURRENCIES)))
    value = exact("The sum of the deals' values in this currency")


class StageSummarySchema(Schema):
    stage_id = fields.String()
    name = fields.String()
    count = fields.Integer()
    totals = fields.List(fields.Nested(TotalSchema))


class SummarySchema(Schema):
    process_id = fields.String()
    process_name = fields.String()
    status = fields.String()
    count = fields.Integer()
    stages = fields.List(fields.Nested(StageSummarySchema))


class SourceInSchema(StrictSchema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=100))


class SourceOutSchema(Schema):
    id = fields.String()
    name = fields.String()


SourceListSchema = page_schema(SourceOutSchema)
ProcessListSchema = page_schema(ProcessOutSchema)
