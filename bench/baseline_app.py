"""The bare baseline of the contacts write: Flask + SQLAlchemy Core, a person row and an outbox row.

`python -m bench.baseline_app` serves it through crm_shared.cli.serve, so gunicorn gets
exactly the contacts service's settings (workers = cores, the same threads and worker class).
The tables are the contacts service's own `persons` and `outbox`, so PostgreSQL does the same
work; what the bare handler leaves out is the service's layers: schemas, domain model, unit of
work, token check, the NOTIFY that wakes the relay.
"""
from __future__ import annotations

import json
import uuid
from typing import Any

from flask import Flask, jsonify, request
from flask.typing import ResponseReturnValue

from crm_contacts.adapters.tables import outbox, persons
from crm_shared import db
from crm_shared.cli import serve
from crm_shared.config import Settings
from crm_shared.types import utcnow

SERVICE = "baseline"
SYSTEM_USER = "00000000-0000-0000-0000-000000000000"


def create_schema(database_url: str) -> None:
    """Create the two tables (once, before gunicorn forks its workers)."""
    engine = db.create_engine(database_url, pool_size=1)
    try:
        persons.metadata.create_all(engine, tables=[persons, outbox])
    finally:
        engine.dispose()


def create_app() -> Flask:
    """Build the bare app; the engine is made here, in the worker, after the fork."""
    settings = Settings.from_env(SERVICE)
    engine = db.create_engine(settings.database_url)
    app = Flask(SERVICE)

    @app.get("/healthz")
    def healthz() -> ResponseReturnValue:
        """Answer that the app is up (the bench waits for it)."""
        return jsonify(status="ok")

    @app.post("/api/v1/persons")
    def create_person() -> ResponseReturnValue:
        """Insert the person row and its outbox row in one transaction."""
        row = person_row(request.get_json())
        with engine.begin() as connection:
            connection.execute(persons.insert(), row)
            connection.execute(outbox.insert(), outbox_row(row))
        return jsonify(as_json(row)), 201

    return app


def person_row(body: dict[str, Any]) -> dict[str, Any]:
    """Return the persons row of a request body."""
    now = utcnow()
    name = " ".join(part for part in (body.get("first_name"), body.get("last_name")) if part)
    return {
        "id": str(uuid.uuid4()), "version": 1, "first_name": body.get("first_name"),
        "last_name": body.get("last_name"), "position": body.get("position"), "company_id": None,
        "emails": body.get("emails") or [], "phones": body.get("phones") or [], "tags": [],
        "address": None, "note": None, "owner_id": SYSTEM_USER, "valid": True,
        "sort_name": name.casefold(), "search_text": name.casefold(),
        "created_at": now, "created_by": SYSTEM_USER, "updated_at": now, "updated_by": SYSTEM_USER,
    }


def as_json(row: dict[str, Any]) -> dict[str, Any]:
    """Return a persons row with its timestamps as text."""
    return {**row, "created_at": row["created_at"].isoformat(), "updated_at": row["updated_at"].isoformat()}


def outbox_row(person: dict[str, Any]) -> dict[str, Any]:
    """Return an outbox row whose body is an event of the same shape and size as the service's."""
    state = as_json(person)
    changes = [{"field": key, "before": None, "after": state[key]}
               for key in ("first_name", "last_name", "emails", "phones", "position", "owner_id")]
    event_id = str(uuid.uuid4())
    event = {
        "specversion": "1.0", "id": event_id, "source": "/crm/baseline", "type": "crm.person.created",
        "subject": person["id"], "time": state["created_at"], "actorid": SYSTEM_USER, "actorname": "system",
        "sequence": 1, "data": {"object_type": "person", "object_id": person["id"], "operation": "created",
                                "changes": changes, "state": state},
    }
    return {"event_id": event_id, "routing_key": "crm.person.created",
            "body": json.dumps(event, ensure_ascii=False), "created_at": person["created_at"]}


def main() -> None:
    """Serve the bare app with the suite's gunicorn settings (CRM_BASELINE_PORT, CRM_DATABASE_URL)."""
    serve(Settings.from_env(SERVICE), "bench.baseline_app:create_app()")


if __name__ == "__main__":
    main()
