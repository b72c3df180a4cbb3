"""What the contacts API accepts and answers."""
from __future__ import annotations

from marshmallow import Schema, fields, validate

from crm_shared.pagination import DEFAULT_LIMIT, MAX_LIMIT
from crm_shared.schema_fields import UUIDString
from crm_shared.schemas import StrictSchema, page_schema  # noqa: F401  (page_schema: used as schemas.page_schema)

from crm_contacts.domain.listing import SORTS

PHONE = validate.Regexp(r"^\+?[0-9 ()./-]{3,40}$", error="Not a valid phone number.")
text = lambda size: fields.String(allow_none=True, validate=validate.Length(max=size))  # noqa: E731


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


class ContactOutSchema(Schema):
    id = fields.String()
    kind = fields.String()
    version = fields.Integer()
    name = fields.String()
    emails = fields.List(fields.String())
    phones = fields.List(fields.String())
    tags = fields.List(fields.String())
    groups = fields.List(fields.String())
    address = fields.Dict(allow_none=True)
    note = fields.String(allow_none=True)
    owner_id = fields.String(allow_none=True)
    valid = fields.Boolean()
    consents = fields.Dict(keys=fields.String(), values=fields.Dict())
    locked_by = fields.String(allow_none=True)
    locked_by_name = fields.String(allow_none=True)
    locked_at = fields.String(allow_none=True)
    anonymized_at = fields.String(allow_none=True)
    created_at = fields.String()
    created_by = fields.String()
    updated_at = fields.String()
    updated_by = fields.String()


class PersonOutSchema(ContactOutSchema):
    first_name = fields.String(allow_none=True)
    last_name = fields.String(allow_none=True)
    position = fields.String(allow_none=True)
    company_id = fields.String(allow_none=True)


class CompanyOutSchema(ContactOutSchema):
    reg_id = fields.String(allow_none=True)
    vat_id = fields.String(allow_none=True)
    website = fields.String(allow_none=True)


class ListArgsSchema(StrictSchema):
    q = fields.String(validate=validate.Length(min=1, max=200))
    tag = fields.String(validate=validate.Length(min=1, max=100))
    group_id = UUIDString()
    owner_id = UUIDString()
    include_invalid = fields.Boolean(load_default=False)
    sort = fields.String(load_default="name", validate=validate.OneOf(list(SORTS)))
    limit = fields.Integer(load_default=DEFAULT_LIMIT, validate=validate.Range(min=1, max=MAX_LIMIT))
    cursor = fields.String()


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


class ChangeSchema(Schema):
    field = fields.String()
    before = fields.Raw(allow_none=True)
    after = fields.Raw(allow_none=True)


class SecuritySchema(Schema):
    id = fields.String()
    kind = fields.String()
    version = fields.Integer()
    created_by = fields.String()
    created_at = fields.String()
    modified_by = fields.String()
    modified_at = fields.String()
    valid = fields.Boolean()
    anonymized_at = fields.String(allow_none=True)
    lock = fields.Dict(allow_none=True)
    owner_id = fields.String(allow_none=True)
    visible_to = fields.Dict()


class LinkSchema(Schema):
    type = fields.String()
    id = fields.String()
    name = fields.String(allow_none=True)
    contact_kind = fields.String()
    contact_id = fields.String()


class LinkListSchema(Schema):
    items = fields.List(fields.Nested(LinkSchema))


class GroupInSchema(StrictSchema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    description = fields.String(allow_none=True, validate=validate.Length(max=2000))


class GroupOutSchema(Schema):
    id = fields.String()
    kind = fields.String()
    version = fields.Integer()
    name = fields.String()
    description = fields.String(allow_none=True)
    owner_id = fields.String()
    created_at = fields.String()
    created_by = fields.String()
    updated_at = fields.String()
    updated_by = fields.String()


class MemberInSchema(StrictSchema):
    kind = fields.String(required=True, validate=validate.OneOf(["person", "company"]))
    id = UUIDString(required=True)

