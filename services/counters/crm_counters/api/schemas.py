"""What the counters API accepts and answers."""
from __future__ import annotations

from marshmallow import Schema, fields, validate

from crm_shared.schemas import RecordRefSchema, StrictSchema

from crm_counters.domain.settings import MAX_WINDOW_MINUTES, MODES

Count = lambda: fields.Integer(metadata={"description": "A number of activities."})  # noqa: E731


class PlannedBreakdownSchema(Schema):
    overdue = Count()
    due_soon = Count()
    by_record_type = fields.Dict(keys=fields.String(), values=fields.Integer())


class IncomingBreakdownSchema(Schema):
    by_category = fields.Dict(keys=fields.String(), values=fields.Integer(),
                              metadata={"description": "incoming_call, missed_call, email, chat, payment, comment."})
    by_record_type = fields.Dict(keys=fields.String(), values=fields.Integer(),
                                 metadata={"description": "deal, person, company; none for an unlinked activity."})


class BreakdownSchema(Schema):
    planned = fields.Nested(PlannedBreakdownSchema)
    incoming = fields.Nested(IncomingBreakdownSchema)


class CountersSchema(Schema):
    user_id = fields.String()
    planned = Count()
    incoming = Count()
    breakdown = fields.Nested(BreakdownSchema)
    window_minutes = fields.Integer()
    mode = fields.String(metadata={"description": "record or activity."})
    as_of = fields.String(metadata={"description": "The moment the counts hold for (RFC 3339, UTC)."})


class TeamSchema(Schema):
    items = fields.List(fields.Nested(CountersSchema))


class RecordCountsSchema(Schema):
    record = fields.Nested(RecordRefSchema)
    planned = Count()
    incoming = Count()


class UnlinkedSchema(Schema):
    planned = Count()
    incoming = Count()


class RecordsSchema(Schema):
    items = fields.List(fields.Nested(RecordCountsSchema))
    unlinked = fields.Nested(UnlinkedSchema)


class SettingsInSchema(StrictSchema):
    window_minutes = fields.Integer(strict=True, validate=validate.Range(min=0, max=MAX_WINDOW_MINUTES))
    mode = fields.String(validate=validate.OneOf(MODES))


class OwnSettingsInSchema(StrictSchema):
    window_minutes = fields.Integer(strict=True, allow_none=True,
                                    validate=validate.Range(min=0, max=MAX_WINDOW_MINUTES),
                                    metadata={"description": "null: the global window."})
    mode = fields.String(allow_none=True, validate=validate.OneOf(MODES), metadata={"description": "null: the global mode."})


class ValuesSchema(Schema):
    window_minutes = fields.Integer(allow_none=True)
    mode = fields.String(allow_none=True)


class SettingsSchema(Schema):
    window_minutes = fields.Integer()
    mode = fields.String()
    # named as the settings they are (a schema cannot have a field called `global`)
    global_ = fields.Nested(ValuesSchema, data_key="global", attribute="global")
    own = fields.Nested(ValuesSchema)


class RebuildSchema(Schema):
    items = Count()
    corrected = fields.Integer(metadata={"description": "Items the rebuild added, removed or changed."})


class ReconcileSchema(Schema):
    checked = fields.Integer()
    users = fields.Integer()
    mismatches = fields.List(fields.Dict())
