"""What the contacts API accepts and answers."""
from __future__ import annotations

from marshmallow import Schema, fields, validate

from crm_shared.schema_fields import UUIDString
from crm_shared.schemas import (  # noqa: F401  (ChangeSchema, page_schema: used as schemas.…)
    ChangeSchema, PageArgsSchema, RecordOutSchema, RecordRefSchema, StrictSchema, page_schema,
)

from crm_contacts.domain.listing import SORTS

PHONE = validate.Regexp(r"^\+?[0-9 ()./-]{3,40}$", error="Not a valid phone number.")
text = lambda size: fields.String(allow_none=True, validate=validate.Length(max=size))  # noqa: E731
nullable = lambda: fields.String(allow_none=True)  # noqa: E731  (an answer's text, null when not given)


class AddressSchema(StrictSchema):
    street = text(300)
    city = text(200)
    postal_code = text(20)
    country = text(100)


class ContactInSchema(StrictSchema):
    emails = fields.List(fields.Email(validate=validate.Length(max=320)), allow_none=True)
    phones = fields.List(fields.String(validate=PHONE), allow_none=True)
    tags = fields.List(fields.String(validate=validate.Length(min=1, max=100)), allow_none=True)
    groups = fields.List(UUIDString(), allow_none=True)
    address = fields.Nested(AddressSchema, allow_none=True)
    note = text(10000)
    owner_id = UUIDString(allow_none=True)


class PersonInSchema(ContactInSchema):
    first_name = text(200)
    last_name = text(200)
    position = text(200)
    company_id = UUIDString(allow_none=True)


class CompanyInSchema(ContactInSchema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=300))
    reg_id = text(20)
    vat_id = text(20)
    website = fields.Url(allow_none=True, validate=validate.Length(max=500))


class ContactOutSchema(RecordOutSchema):
    kind = fields.String()
    name = fields.String()
    emails = fields.List(fields.String())
    phones = fields.List(fields.String())
    tags = fields.List(fields.String())
    groups = fields.List(fields.String())
    address = fields.Dict(allow_none=True)
    note = nullable()
    owner_id = nullable()
    valid = fields.Boolean()
    consents = fields.Dict(keys=fields.String(), values=fields.Dict())
    locked_by = nullable()
    locked_by_name = nullable()
    locked_at = nullable()
    anonymized_at = nullable()


class PersonOutSchema(ContactOutSchema):
    first_name = nullable()
    last_name = nullable()
    position = nullable()
    company_id = nullable()


class CompanyOutSchema(ContactOutSchema):
    reg_id = nullable()
    vat_id = nullable()
    website = nullable()


class ListArgsSchema(PageArgsSchema):
    q = fields.String(validate=validate.Length(min=1, max=200))
    tag = fields.String(validate=validate.Length(min=1, max=100))
    group_id = UUIDString()
    owner_id = UUIDString()
    include_invalid = fields.Boolean(load_default=False)
    sort = fields.String(load_default="name", validate=validate.OneOf(list(SORTS)))


class PersonListArgsSchema(ListArgsSchema):
    company_id = UUIDString()


class DeleteArgsSchema(StrictSchema):
    cascade = fields.Boolean(load_default=False)


class ConsentInSchema(StrictSchema):
    granted = fields.Boolean(required=True)
    source = fields.String(allow_none=True, load_default=None, validate=validate.Length(max=200))


class MergeInSchema(StrictSchema):
    source_id = UUIDString(required=True)
    dry_run = fields.Boolean(load_default=False)
    prefer_source = fields.List(fields.String(validate=validate.Length(min=1, max=100)), load_default=list)


class SecuritySchema(Schema):
    """Who created and changed a record and when, its validity, lock, owner and who sees it."""

    id = fields.String(metadata={"description": "The record's UUID."})
    kind = fields.String(metadata={"description": "`person` or `company`."})
    version = fields.Integer(metadata={"description": "1 at creation, one more per change (the ETag's number)."})
    created_by = fields.String(metadata={"description": "The id of the user who created it."})
    created_at = fields.String(metadata={"description": "When it was created (RFC 3339, UTC)."})
    modified_by = fields.String(metadata={"description": "The id of the user who last changed it."})
    modified_at = fields.String(metadata={"description": "When it last changed (RFC 3339, UTC)."})
    valid = fields.Boolean(metadata={"description": "False from its invalidation until it is revalidated."})
    anonymized_at = fields.String(allow_none=True, metadata={"description": "When it was anonymized, if it was."})
    lock = fields.Dict(allow_none=True, metadata={"description": "`holder_id`, `holder_name` and `locked_at` "
                                                               "while it is locked, else null."})
    owner_id = fields.String(allow_none=True)
    visible_to = fields.Dict(metadata={"description": "Who sees it: the owner, the owner's manager and admins."})


class LinkSchema(RecordRefSchema):
    """The record (deal, task, interaction) linking a contact."""

    contact_kind = fields.String()
    contact_id = fields.String()


class LinkListSchema(Schema):
    items = fields.List(fields.Nested(LinkSchema))


class GroupInSchema(StrictSchema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    description = fields.String(allow_none=True, validate=validate.Length(max=2000))


class GroupOutSchema(RecordOutSchema):
    """A segment of persons and companies; its creator owns it."""

    kind = fields.String(metadata={"description": "Always `group`."})
    name = fields.String()
    description = fields.String(allow_none=True)
    owner_id = fields.String(metadata={"description": "The id of its owner: the user who created it."})


class MemberInSchema(StrictSchema):
    kind = fields.String(required=True, validate=validate.OneOf(["person", "company"]))
    id = UUIDString(required=True)

