"""Reading the audit entry a change event describes, tolerantly: unknown fields are ignored."""
from __future__ import annotations

from datetime import datetime
from typing import Any, Mapping

from marshmallow import EXCLUDE, Schema, ValidationError, fields, pre_load, validate

from crm_shared.envelope import CloudEvent, InvalidEvent

from crm_audit.domain.entries import ENTRY_ID_LENGTH, MAX_CHANNEL_LENGTH, MAX_KEY_LENGTH, MAX_NAME_LENGTH, AuditEntry


class _ChangeData(Schema):
    class Meta:
        unknown = EXCLUDE

    field = fields.String(required=True, validate=validate.Length(min=1))
    before = fields.Raw(allow_none=True, load_default=None)
    after = fields.Raw(allow_none=True, load_default=None)


class _EventData(Schema):
    """The part of `data` the audit log uses; anything else in it is ignored."""

    class Meta:
        unknown = EXCLUDE

    object_type = fields.String(required=True, validate=validate.Length(min=1, max=MAX_NAME_LENGTH))
    object_id = fields.String(required=True, validate=validate.Length(min=1, max=MAX_KEY_LENGTH))
    operation = fields.String(required=True, validate=validate.Length(min=1, max=MAX_NAME_LENGTH))
    object_name = fields.String(allow_none=True, load_default=None)
    object_link = fields.String(allow_none=True, load_default=None)
    changes = fields.List(fields.Nested(_ChangeData), load_default=list)

    @pre_load
    def _null_changes_are_empty(self, data: Any, **_: Any) -> Any:
        # deletions from some producers carry `"changes": null`; it means "no field changes"
        if isinstance(data, dict) and data.get("changes", ()) is None:
            return {**data, "changes": []}
        return data


_EVENT_DATA = _EventData()


def entry_from_event(event: CloudEvent, *, recorded_at: datetime | None = None) -> AuditEntry:
    """Read the audit entry an event describes; raise InvalidEvent if its data has the wrong shape."""
    data = _load_data(event.data)
    _check_length("actorid", event.actorid, MAX_KEY_LENGTH)
    _check_length("actorchannel", event.channel, MAX_CHANNEL_LENGTH)
    _check_length("restoresentry", event.restoresentry, ENTRY_ID_LENGTH)
    return AuditEntry(
        id=event.id,
        occurred_at=event.time,
        user_id=event.actorid,
        user_name=event.actorname,
        channel=event.channel,
        object_type=data["object_type"],
        object_id=data["object_id"],
        object_name=data["object_name"],
        object_link=data["object_link"],
        operation=data["operation"],
        changes=data["changes"],
        correlation_id=event.correlationid,
        source=event.source,
        recorded_at=recorded_at,
        restored_from=event.restoresentry or None,
    )


def _load_data(data: Mapping[str, Any]) -> dict[str, Any]:
    try:
        return _EVENT_DATA.load(data)
    except ValidationError as exc:
        raise InvalidEvent(f"data has the wrong shape: {exc.messages}") from exc


def _check_length(attribute: str, value: str, limit: int) -> None:
    if len(value) > limit:
        raise InvalidEvent(f"{attribute} is longer than {limit} characters")
