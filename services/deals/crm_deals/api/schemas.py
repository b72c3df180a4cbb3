"""What the deals API accepts and answers; money travels as strings ("1234.50") to stay exact."""
from __future__ import annotations

from typing import Any

from marshmallow import Schema, ValidationError, fields, validate

from crm_shared.pagination import DEFAULT_LIMIT, MAX_LIMIT
from crm_shared.schema_fields import UUIDString
from crm_shared.schemas import StrictSchema, page_schema

from crm_deals.domain.deal_query import SORTS
from crm_deals.domain.deals import STATUSES
from crm_deals.domain.links import LINK_TYPES
from crm_deals.domain.money import CURRENCIES, to_decimal


class DecimalText(fields.Field):
    """An exact decimal given as a string (or a JSON number), kept as Decimal inside, written as a string."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Any:
        try:
            return to_decimal(value)
        except ValueError as exc:
            raise ValidationError(str(exc)) from None


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


class ProcessOutSchema(Schema):
    id = fields.String()
    version = fields.Integer()
    name = fields.String()
    stages = fields.List(fields.Nested(StageOutSchema))
    won_task_template_id = fields.String(allow_none=True)
    won_task_template_name = fields.String(allow_none=True)
    lost_task_template_id = fields.String(allow_none=True)
    lost_task_template_name = fields.String(allow_none=True)
    is_default = fields.Boolean()
    created_at = fields.String()
    created_by = fields.String()
    updated_at = fields.String()
    updated_by = fields.String()


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


class LinkOutSchema(Schema):
    type = fields.String()
    id = fields.String()
    name = fields.String(allow_none=True)


class ProductLineOutSchema(Schema):
    id = fields.String()
    product = fields.String(allow_none=True)
    code = fields.String(allow_none=True)
    quantity = fields.String()
    unit_price = fields.String()
    discount_percent = fields.String()
    total = fields.String()


class DealOutSchema(Schema):
    id = fields.String()
    version = fields.Integer()
    name = fields.String()
    value = fields.String()
    currency = fields.String()
    source = fields.String(allow_none=True)
    process_id = fields.String()
    process_name = fields.String()
    stage_id = fields.String()
    stage_name = fields.String()
    status = fields.String()
    lost_reason = fields.String(allow_none=True)
    planned_close_date = fields.String(allow_none=True)
    owner_id = fields.String()
    links = fields.List(fields.Nested(LinkOutSchema))
    products = fields.List(fields.Nested(ProductLineOutSchema))
    closed_at = fields.String(allow_none=True)
    created_at = fields.String()
    created_by = fields.String()
    updated_at = fields.String()
    updated_by = fields.String()


class DealListArgsSchema(StrictSchema):
    status = fields.String(validate=validate.OneOf(STATUSES))
    process_id = UUIDString()
    stage_id = UUIDString()
    owner_id = UUIDString()
    contact_id = UUIDString()
    close_from = fields.Date()
    close_to = fields.Date()
    sort = fields.String(load_default="-created_at", validate=validate.OneOf(list(SORTS)))
    limit = fields.Integer(load_default=DEFAULT_LIMIT, validate=validate.Range(min=1, max=MAX_LIMIT))
    cursor = fields.String()


class SummaryArgsSchema(StrictSchema):
    process_id = UUIDString()
    status = fields.String(load_default="open", validate=validate.OneOf(STATUSES))
    owner_id = UUIDString()
    contact_id = UUIDString()
    close_from = fields.Date()
    close_to = fields.Date()


class TotalSchema(Schema):
    currency = fields.String()
    value = fields.String()


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
