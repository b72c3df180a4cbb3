"""The CloudEvents 1.0 envelope of every message on the bus, built and read in one place."""
from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Mapping

from crm_shared.events import ObjectChanged

CONTENT_TYPE = "application/cloudevents+json"
SPEC_VERSION = "1.0"
#: the version of the `data` shape; a breaking change of it gets a new version here
DATA_SCHEMA = "urn:crm:schema:object-changed:1"


class InvalidEvent(ValueError):
    """A message that is not a CloudEvent this suite understands; it can never be processed."""


#: how a change was made (the envelope's `actorchannel`, the audit entry's `channel`)
API = "api"
IMPORT = "import"
AUTOMATION = "automation"
SYSTEM_CHANNEL = "system"
CHANNELS = (API, IMPORT, AUTOMATION, SYSTEM_CHANNEL)


@dataclass(frozen=True)
class Actor:
    """Who made a change (a user, or `system` for automatic changes) and through which channel."""

    id: str
    name: str
    channel: str = API

    def via(self, channel: str) -> "Actor":
        """Return the same actor acting through another channel (an import, an automation)."""
        return Actor(self.id, self.name, channel)


SYSTEM = Actor(id="system", name="system", channel=SYSTEM_CHANNEL)


@dataclass(frozen=True)
class CloudEvent:
    """A structured-mode CloudEvent as it travels on the bus."""

    id: str
    source: str
    type: str
    subject: str
    time: datetime
    actorid: str
    actorname: str
    correlationid: str
    sequence: int
    data: Mapping[str, Any]
    channel: str = API
    #: W3C trace context of the change (CloudEvents distributed-tracing extension); "" when untraced
    traceparent: str = ""
    #: the audit entry whose earlier value this change put back (extension `restoresentry`); "" if none
    restoresentry: str = ""

    @property
    def actor(self) -> Actor:
        """Return who made the change, and through which channel."""
        return Actor(self.actorid, self.actorname, self.channel)

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON object of the structured event."""
        return {
            "specversion": SPEC_VERSION,
            "id": self.id,
            "source": self.source,
            "type": self.type,
            "subject": self.subject,
            "time": self.time.isoformat(),
            "datacontenttype": "application/json",
            "dataschema": DATA_SCHEMA,
            "actorid": self.actorid,
            "actorname": self.actorname,
            "actorchannel": self.channel,
            "correlationid": self.correlationid,
            "sequence": self.sequence,
            "data": self.data,
            **({"traceparent": self.traceparent} if self.traceparent else {}),
            **({"restoresentry": self.restoresentry} if self.restoresentry else {}),
        }

    def to_json(self) -> str:
        """Serialise the event for the wire."""
        return json.dumps(self.to_dict(), ensure_ascii=False, separators=(",", ":"))


def wrap(
    event: ObjectChanged, *, service: str, actor: Actor, correlation_id: str, time: datetime, traceparent: str = "",
    restores_entry: str = "",
) -> CloudEvent:
    """Put a domain event into its envelope."""
    return CloudEvent(
        id=str(uuid.uuid4()),
        source=f"/crm/{service}",
        type=event.event_type,
        subject=event.object_id,
        time=time,
        actorid=actor.id,
        actorname=actor.name,
        correlationid=correlation_id,
        sequence=event.sequence,
        data=event.data(),
        channel=actor.channel,
        traceparent=traceparent,
        restoresentry=restores_entry,
    )


_REQUIRED = ("specversion", "id", "source", "type", "time")


def parse(body: bytes | str | Mapping[str, Any]) -> CloudEvent:
    """Read a structured CloudEvent; raise InvalidEvent for anything else."""
    if isinstance(body, Mapping):
        raw: Any = body
    else:
        try:
            raw = json.loads(body)
        except (ValueError, UnicodeDecodeError) as exc:
            raise InvalidEvent(f"body is not JSON: {exc}") from exc
    if not isinstance(raw, dict):
        raise InvalidEvent("body is not a JSON object")
    missing = [name for name in _REQUIRED if not raw.get(name)]
    if missing:
        raise InvalidEvent(f"missing attributes: {', '.join(missing)}")
    if raw["specversion"] != SPEC_VERSION:
        raise InvalidEvent(f"unsupported specversion {raw['specversion']!r}")
    data = raw.get("data")
    if not isinstance(data, dict):
        raise InvalidEvent("data is not a JSON object")
    try:
        event_id = str(uuid.UUID(str(raw["id"])))
        time = datetime.fromisoformat(str(raw["time"]))
        sequence = int(raw.get("sequence") or 0)
    except ValueError as exc:
        raise InvalidEvent(f"bad attribute value: {exc}") from exc
    if time.tzinfo is None:
        raise InvalidEvent("time has no zone")
    return CloudEvent(
        id=event_id,
        source=str(raw["source"]),
        type=str(raw["type"]),
        subject=str(raw.get("subject") or ""),
        time=time,
        actorid=str(raw.get("actorid") or "system"),
        actorname=str(raw.get("actorname") or "system"),
        correlationid=str(raw.get("correlationid") or ""),
        sequence=sequence,
        data=data,
        channel=str(raw.get("actorchannel") or API),
        traceparent=_text(raw, "traceparent"),
        restoresentry=_text(raw, "restoresentry"),
    )


def _text(raw: Mapping[str, Any], attribute: str) -> str:
    """Return an optional extension attribute's text, "" when absent or not text."""
    value = raw.get(attribute)
    return value if isinstance(value, str) else ""


def automation_by(cause: CloudEvent) -> Actor:
    """Return the actor of a change an automation makes because of `cause`: the user who caused it
    (the system when none did), through the channel `automation`."""
    return cause.actor.via(AUTOMATION)
