"""Fixtures of the audit service's tests: events, a migrated store, tokens and an app."""
from __future__ import annotations

import time
import uuid
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable, Iterator

import jwt
import pytest
import sqlalchemy as sa
from cryptography.hazmat.primitives.asymmetric import rsa
from flask.testing import FlaskClient

from crm_audit.__main__ import MIGRATIONS
from crm_audit.app import create_app
from crm_audit.consumer import handle_events
from crm_shared.unit_of_work import Transaction
from crm_shared.auth import TokenVerifier
from crm_shared.changes import Change
from crm_shared.config import Settings
from crm_shared.envelope import Actor, CloudEvent, wrap
from crm_shared.events import ObjectChanged
from crm_shared.testing.templates import migrated_engine

T0 = datetime(2026, 11, 22, 10, 0, tzinfo=timezone.utc)


def _make_event(
    *,
    object_type: str = "person",
    object_id: str | None = None,
    object_name: str = "Jana Nováková",
    operation: str = "updated",
    changes: tuple[Change, ...] = (Change("phones", ["+420 111 222 333"], ["+420 777 888 999"]),),
    actor: Actor = Actor("u-1", "Eva Admin"),
    time: datetime = T0,
    sequence: int = 2,
) -> CloudEvent:
    object_id = object_id or str(uuid.uuid4())
    change = ObjectChanged(
        object_type=object_type,
        object_id=object_id,
        object_name=object_name,
        object_link=f"/api/v1/{object_type}s/{object_id}",
        operation=operation,
        sequence=sequence,
        changes=changes,
        state={"id": object_id},
    )
    return wrap(change, service="contacts", actor=actor, correlation_id="req-1", time=time)


@pytest.fixture
def make_event() -> Callable[..., CloudEvent]:
    """Build a change event as a producer of the suite would send it."""
    return _make_event


@pytest.fixture
def audit_engine(any_database_url: str) -> Iterator[sa.Engine]:
    """An engine on a freshly migrated audit database, SQLite and PostgreSQL in turn."""
    with migrated_engine(any_database_url, MIGRATIONS, "audit") as engine:
        yield engine


@pytest.fixture
def record(audit_engine: sa.Engine) -> Callable[[list[CloudEvent]], None]:
    """Store events the way the consumer does, in one transaction."""

    def _record(events: list[CloudEvent]) -> None:
        with audit_engine.begin() as connection:
            handle_events(Transaction(connection=connection), events)

    return _record


class Tokens:
    """Sign tokens like the gateway does, with a key made for the test run."""

    def __init__(self) -> None:
        self._key = rsa.generate_private_key(public_exponent=65537, key_size=2048)

    def verifier(self) -> TokenVerifier:
        public = self._key.public_key()
        return TokenVerifier(issuer="crm-gateway", audience="crm", key_resolver=lambda _token: public)

    def token(self, role: str = "admin", sub: str = "u-admin", name: str = "Eva Admin") -> str:
        now = int(time.time())
        claims: dict[str, Any] = {
            "iss": "crm-gateway", "aud": "crm", "sub": sub, "name": name, "role": role,
            "iat": now, "exp": now + 300,
        }
        return jwt.encode(claims, self._key, algorithm="RS256")

    def headers(self, role: str = "admin") -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token(role)}"}


@pytest.fixture(scope="session")
def tokens() -> Tokens:
    """A signing key for the whole run: RSA key generation is slow."""
    return Tokens()


def audit_settings(database_url: str, data_dir: Path, broker_url: str = "filesystem://") -> Settings:
    """Settings of an audit process pointed at test servers."""
    return Settings(
        service="audit", data_dir=data_dir, database_url=database_url,
        broker_url=broker_url, jwks_url="", port=0,
    )


@pytest.fixture
def settings_for() -> Callable[..., Settings]:
    """Build audit settings for a database (and optionally a broker)."""
    return audit_settings


@pytest.fixture
def client(audit_engine: sa.Engine, tokens: Tokens, tmp_path: Path) -> FlaskClient:
    """A test client of the audit app on the migrated database."""
    settings = audit_settings(str(audit_engine.url.render_as_string(hide_password=False)), tmp_path)
    app = create_app(settings, verifier=tokens.verifier(), engine=audit_engine)
    return app.test_client()
