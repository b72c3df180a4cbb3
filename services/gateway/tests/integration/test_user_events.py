"""User changes and failed logins go through the gateway's outbox and its relay onto the bus."""
from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from kombu import Connection

from crm_shared import db
from crm_shared.config import Settings
from crm_shared.publisher import ConfirmingPublisher
from crm_shared.relay import OutboxRelay
from crm_shared.topology import AUDIT

from crm_gateway.app import create_app
from crm_gateway.bootstrap import bootstrap
from crm_gateway.identity.passwords import Passwords
from crm_gateway.identity.tables import outbox

pytestmark = pytest.mark.integration

ADMIN_PASSWORD = "admin-secret-1"


def drain(amqp_url: str) -> list[dict[str, Any]]:
    received = []
    with Connection(amqp_url) as connection:
        queue = AUDIT.queue()(connection.default_channel)
        while (message := queue.get(no_ack=True)) is not None:
            received.append(json.loads(message.body))
    return received


def test_user_events_reach_the_outbox_and_the_relay_publishes_them_to_the_audit_queue(
    tmp_path: Path, any_database_url: str, amqp_url: str, key_file: Path, passwords: Passwords
) -> None:
    settings = Settings.from_env("gateway", {
        "CRM_DATA_DIR": str(tmp_path), "CRM_DATABASE_URL": any_database_url,
        "CRM_JWT_PRIVATE_KEY_FILE": str(key_file), "CRM_ADMIN_PASSWORD": ADMIN_PASSWORD,
    })
    bootstrap(settings, out=io.StringIO(), passwords=passwords)
    client = create_app(settings, passwords=passwords).test_client()
    token = client.post("/api/v1/auth/token", json={"username": "admin", "password": ADMIN_PASSWORD})
    headers = {"Authorization": f"Bearer {token.get_json()['access_token']}"}
    jana = client.post("/api/v1/users", headers=headers, json={
        "username": "jana", "password": "s3cret-pass", "name": "Jana", "email": "jana@example.cz", "role": "user"})
    assert client.patch(f"/api/v1/users/{jana.get_json()['id']}", json={"active": False},
                        headers=headers).status_code == 200
    assert client.post("/api/v1/auth/token", json={"username": "jana", "password": "s3cret-pass"}).status_code == 401

    engine = db.create_engine(any_database_url)
    relay = OutboxRelay(engine, outbox, ConfirmingPublisher(lambda: Connection(amqp_url)), service="gateway")
    while relay.publish_pending():
        pass
    with engine.connect() as connection:
        unpublished = connection.execute(sa.select(sa.func.count()).where(outbox.c.published_at.is_(None))).scalar()
    engine.dispose()

    published = drain(amqp_url)
    assert unpublished == 0
    assert [event["type"] for event in published] == [
        "crm.user.created", "crm.user.created", "crm.user.updated", "crm.user.login_failed"]
    assert all(event["source"] == "/crm/gateway" for event in published)
    assert published[2]["data"]["changes"] == [{"field": "active", "before": True, "after": False}]
    assert "s3cret-pass" not in json.dumps(published)
