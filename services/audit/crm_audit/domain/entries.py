"""Audit entries: one per change event, read from the event by a tolerant reader."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Mapping

from marshmallow import EXCLUDE, Schema, ValidationError, fields, pre_load, validate

from crm_shared.envelope import CloudEvent, InvalidEvent

#: longest values of the columns that are indexed or filtered on
MAX_KEY_LENGTH = 100
MAX_NAME_LENGTH = 64
MAX_CHANNEL_LENGTH = 32


@dataclass(frozen=True)
class AuditEntry:
    """Who changed which object how, and when; `changes` are `{"field","before","after"}` dicts."""

    id: str
    occurred_at: datetime
    user_id: str
    user_name: str
    channel: str
    object_type: str
    object_id: str
    object_name: str | None
    object_link: str | None
    operation: str
    changes: list[dict[str, Any]] = field(default_factory=list)
    correlation_id: str = ""
    source: str = ""
    recorded_at: datetime | None = None


@dataclass(frozen=True)
class EntryFilter:
    """The filters of the list and the export; `occurred_from` is inclusive, `occurred_to` exclusive."""

    occurred_from: datetime | None = None
    occurred_to: datetime | None = None
    user_id: str | None = None
    object_type: str | None = None
    object_id: str | None = None
    operation: str | None = None


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
    )


def _load_data(data: Mapping[str, Any]) -> dict[str, Any]:
    try:
        return _EVENT_DATA.load(data)
    except ValidationError as exc:
        raise InvalidEvent(f"data has the wrong shape: {exc.messages}") from exc


def _check_length(attribute: str, value: str, limit: int) -> None:
    if len(value) > limit:
        raise InvalidEvent(f"{attribute} is longer than {limit} characters")
