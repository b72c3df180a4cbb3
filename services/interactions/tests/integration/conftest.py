"""The interactions API on a fresh database (SQLite and PostgreSQL), with a client that reads the outbox and
feeds contact events to the service's consumer handler as the bus would."""
from __future__ import annotations

import uuid
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterator

import pytest
import sqlalchemy as sa

from crm_shared.envelope import Actor, CloudEvent
from crm_shared.inbox import claim
from crm_shared.testing.apps import ApiClient, migrated_app
from crm_shared.testing.callers import AS_ADMIN, AS_ANN, AS_BOB, AS_CID, ANN, BOB, CID, issuer  # noqa: F401

from crm_interactions.adapters import tables
from crm_interactions.app import create_app
from crm_interactions.declaration import SERVICE
from crm_interactions.service_layer.record_events import handle_events
from crm_interactions.service_layer.unit_of_work import InteractionsUnitOfWork


class Api(ApiClient):
    """The interactions API as a test drives it, and the events the service hears."""

    def hear(self, event_type: str, object_id: str, sequence: int, state: dict[str, Any] | None = None,
             *, event_id: str | None = None, actor: Actor = Actor(ANN, "Ann Author"), **data: Any) -> str:
        """Deliver one event to the consumer's handler in a transaction of its own, as the consumer does."""
        kind, operation = event_type.split(".")[1:3]
        event = CloudEvent(
            id=event_id or str(uuid.uuid4()), source="/crm/test", type=event_type, subject=object_id,
            time=datetime.now(timezone.utc), actorid=actor.id, actorname=actor.name, correlationid="test",
            sequence=sequence,
            data={"object_type": kind, "object_id": object_id, "object_name": (state or {}).get("name"),
                  "operation": operation, "changes": data.pop("changes", []), "state": state or {}, **data})
        with self.engine.begin() as connection:
            if claim(connection, tables.inbox, SERVICE.name, [event.id]):
                handle_events(InteractionsUnitOfWork(connection=connection), [event])
        return event.id

    def person(self, name: str = "Jana Nováková", owner: str = ANN, sequence: int = 1,
               person_id: str | None = None, **state: Any) -> str:
        """Tell the service a person exists (as the contacts service's event would)."""
        person_id = person_id or str(uuid.uuid4())
        self.hear("crm.person.created" if sequence == 1 else "crm.person.updated", person_id, sequence,
                  {"id": person_id, "name": name, "owner_id": owner, "groups": [], **state})
        return person_id

    def template(self, **values: Any) -> dict[str, Any]:
        body = {"code": f"T{uuid.uuid4().hex[:6]}", "description": "Phone call", "method": "phone",
                "initiated_by": "us", "unit_cost": "12.50", "unit_duration_minutes": 15, **values}
        return self.ok("POST", "/interaction-templates", 201, json=body)

    def log(self, template_id: str, contact_id: str, status: int = 201, kind: str = "person",
            headers: dict[str, str] | None = None, **overrides: Any) -> Any:
        body = {"template_id": template_id, "contact": {"type": kind, "id": contact_id}, **overrides}
        return self.ok("POST", "/interactions", status, json=body, headers=headers)

    def count(self, table: sa.Table) -> int:
        with self.engine.connect() as connection:
            return connection.execute(sa.select(sa.func.count()).select_from(table)).scalar_one()


@pytest.fixture
def api(any_database_url: str, tmp_path: Path) -> Iterator[Api]:
    with migrated_app(SERVICE, create_app, any_database_url, tmp_path, issuer.verifier(),
                      env={"CRM_INTERACTIONS_MAX_ATTACHMENT_BYTES": "1000"}) as app:
        yield Api(app, AS_ANN)


def changes_of(event: dict[str, Any]) -> list[tuple[str, Any, Any]]:
    return [(c["field"], c["before"], c["after"]) for c in event["data"]["changes"]]


