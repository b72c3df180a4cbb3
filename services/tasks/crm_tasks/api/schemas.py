"""What the tasks API accepts and answers; times are RFC 3339 strings with a zone."""
from __future__ import annotations

from marshmallow import Schema, fields, validate

from crm_shared.schema_fields import UUIDString
from crm_shared.schemas import PageArgsSchema, RecordOutSchema, RecordRefSchema, StrictSchema, page_schema

from crm_tasks.domain.links import LINK_TYPES
from crm_tasks.domain.sharing import LEVELS
from crm_tasks.domain.task_fields import PRIORITIES

Time = lambda: fields.String(allow_none=True, validate=validate.Length(max=64),  # noqa: E731
                             metadata={"description": "RFC 3339 date-time with a zone."})


class SuggestNextSchema(StrictSchema):
    type_id = UUIDString(required=True)
    title = fields.String(required=True, validate=validate.Length(min=1, max=500))
    delay_minutes = fields.Integer(required=True)


class TaskTypeInSchema(StrictSchema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=100))
    suggest_next = fields.Nested(SuggestNextSchema, allow_none=True)


class TaskTypeOutSchema(Schema):
    id = fields.String()
    version = fields.Integer()
    name = fields.String()
    suggest_next = fields.Nested(SuggestNextSchema, allow_none=True)


class SettingsSchema(StrictSchema):
    statuses_enabled = fields.Boolean(required=True)


class StatusInSchema(StrictSchema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=100))


class StatusOutSchema(Schema):
    id = fields.String()
    name = fields.String()
    position = fields.Integer()
    version = fields.Integer()


class StatusOrderSchema(StrictSchema):
    ids = fields.List(UUIDString(), required=True, validate=validate.Length(max=100))


class LinkInSchema(StrictSchema):
    type = fields.String(required=True, validate=validate.OneOf(LINK_TYPES))
    id = UUIDString(required=True)


class TaskInSchema(StrictSchema):
    title = fields.String(required=True, validate=validate.Length(min=1, max=500))
    #: optional: a task without one gets the first type in the list (`GET /task-types`)
    type_id = UUIDString(metadata={"description": "The task's type; the first in the list when not given."})
    status_id = UUIDString(allow_none=True)
    start = Time()
    end = Time()
    due = Time()
    responsible_id = UUIDString()
    member_ids = fields.List(UUIDString(), validate=validate.Length(max=100))
    priority = fields.String(validate=validate.OneOf(PRIORITIES))
    private = fields.Boolean()
    reminders = fields.List(fields.Integer(), validate=validate.Length(max=10))
    rrule = fields.String(allow_none=True, validate=validate.Length(max=500))
    description = fields.String(allow_none=True, validate=validate.Length(max=20_000))
    links = fields.List(fields.Nested(LinkInSchema), validate=validate.Length(max=4))


class SuggestionOverridesSchema(StrictSchema):
    title = fields.String(validate=validate.Length(min=1, max=500))
    type_id = UUIDString()
    due = Time()
    responsible_id = UUIDString()
    member_ids = fields.List(UUIDString(), validate=validate.Length(max=100))
    priority = fields.String(validate=validate.OneOf(PRIORITIES))
    private = fields.Boolean()
    reminders = fields.List(fields.Integer(), validate=validate.Length(max=10))
    description = fields.String(allow_none=True, validate=validate.Length(max=20_000))
    links = fields.List(fields.Nested(LinkInSchema), validate=validate.Length(max=4))


class TaskOutSchema(RecordOutSchema):
    """A task; one seen through free/busy has only `id`, `start`, `end`, `due` and `busy`."""

    title = fields.String()
    type_id = fields.String()
    type_name = fields.String()
    status_id = fields.String(allow_none=True)
    status_name = fields.String(allow_none=True)
    start = fields.String(allow_none=True)
    end = fields.String(allow_none=True)
    due = fields.String(allow_none=True)
    kind = fields.String()
    responsible_id = fields.String()
    member_ids = fields.List(fields.String())
    priority = fields.String()
    private = fields.Boolean()
    reminders = fields.List(fields.Integer())
    rrule = fields.String(allow_none=True)
    description = fields.String(allow_none=True)
    links = fields.List(fields.Nested(RecordRefSchema))
    done = fields.Boolean()
    done_at = fields.String(allow_none=True)
    access = fields.String()
    busy = fields.Boolean()


class SuggestionSchema(Schema):
    type_id = fields.String()
    title = fields.String()
    due = fields.String()


class CompletedSchema(Schema):
    task = fields.Nested(TaskOutSchema)
    suggestion = fields.Nested(SuggestionSchema, allow_none=True)


class TaskListArgsSchema(PageArgsSchema):
    responsible_id = UUIDString()
    type_id = UUIDString()
    status_id = UUIDString()
    done = fields.Boolean()
    due_from = fields.AwareDateTime()
    due_to = fields.AwareDateTime()
    link_type = fields.String(validate=validate.OneOf(LINK_TYPES))
    link_id = UUIDString()


class CommentInSchema(StrictSchema):
    text = fields.String(required=True, validate=validate.Length(min=1, max=10_000))


class CommentOutSchema(Schema):
    """What someone said on a task, and when."""

    id = fields.String(metadata={"description": "The comment's UUID."})
    task_id = fields.String(metadata={"description": "The task it is on."})
    author_id = fields.String(metadata={"description": "The id of the user who wrote it."})
    author_name = fields.String(metadata={"description": "Their display name when they wrote it."})
    text = fields.String()
    created_at = fields.String(metadata={"description": "When it was written (RFC 3339, UTC)."})


class ShareInSchema(StrictSchema):
    level = fields.String(required=True, validate=validate.OneOf(LEVELS))
    per_type = fields.Dict(keys=UUIDString(), values=fields.String(validate=validate.OneOf(LEVELS)))


class ShareOutSchema(Schema):
    user_id = fields.String()
    level = fields.String()
    per_type = fields.Dict()


class TemplateItemSchema(StrictSchema):
    title = fields.String(required=True, validate=validate.Length(min=1, max=500))
    type_id = UUIDString(required=True)
    delay_days = fields.Integer(load_default=0)
    responsible_id = UUIDString(allow_none=True)


class TemplateInSchema(StrictSchema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    items = fields.List(fields.Nested(TemplateItemSchema), required=True, validate=validate.Length(max=100))


class TemplateOutSchema(RecordOutSchema):
    name = fields.String()
    items = fields.List(fields.Dict())


class TargetSchema(StrictSchema):
    type = fields.String(required=True, validate=validate.OneOf(LINK_TYPES))
    id = UUIDString(required=True)


class ApplySchema(StrictSchema):
    target = fields.Nested(TargetSchema, required=True)
    base_date = fields.Date()


class SpaceInSchema(StrictSchema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    member_ids = fields.List(UUIDString(), validate=validate.Length(max=100))


class SpaceOutSchema(RecordOutSchema):
    name = fields.String()
    member_ids = fields.List(fields.String())


class FeedSchema(Schema):
    url = fields.String()
    path = fields.String()


TaskPageSchema = page_schema(TaskOutSchema)
TaskTypePageSchema = page_schema(TaskTypeOutSchema)
StatusPageSchema = page_schema(StatusOutSchema)
CommentPageSchema = page_schema(CommentOutSchema)
SharePageSchema = page_schema(ShareOutSchema)
TemplatePageSchema = page_schema(TemplateOutSchema)
SpacePageSchema = page_schema(SpaceOutSchema)
