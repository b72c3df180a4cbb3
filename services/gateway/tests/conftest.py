"""Fixtures of the gateway's tests: a signing key, settings, a bootstrapped app and logins."""
from __future__ import annotations

import io
from pathlib import Path
from typing import Callable

import pytest
from argon2 import PasswordHasher
from flask import Flask
from flask.testing import FlaskClient

from crm_shared.config import Settings

from crm_gateway.app import create_app
from crm_gateway.bootstrap import bootstrap
from crm_gateway.identity.passwords import Passwords
from crm_gateway.keys import SigningKey, ensure_signing_key, load_signing_key

ADMIN_PASSWORD = "admin-secret-1"

SettingsFactory = Callable[..., Settings]
Login = Callable[[str, str], str]


@pytest.fixture(scope="session")
def key_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One signing key for the whole run (making RSA keys is slow)."""
    path = tmp_path_factory.mktemp("keys") / "jwt-signing-key.pem"
    ensure_signing_key(path)
    return path


@pytest.fixture(scope="session")
def signing_key(key_file: Path) -> SigningKey:
    return load_signing_key(key_file)


@pytest.fixture
def passwords() -> Passwords:
    """A cheap argon2 profile: the tests check behaviour, not hashing cost."""
    return Passwords(PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))


@pytest.fixture
def make_settings(tmp_path: Path, sqlite_url: str, key_file: Path) -> SettingsFactory:
    """Build gateway settings on SQLite with the run's key; keyword arguments become variables."""

    def make(**environ: str) -> Settings:
        env = {
            "CRM_DATA_DIR": str(tmp_path / "var"),
            "CRM_DATABASE_URL": sqlite_url,
            "CRM_JWT_PRIVATE_KEY_FILE": str(key_file),
            "CRM_ADMIN_PASSWORD": ADMIN_PASSWORD,
            **environ,
        }
        return Settings.from_env("gateway", env)

    return make


@pytest.fixture
def make_app(make_settings: SettingsFactory, passwords: Passwords) -> Callable[..., Flask]:
    """Bootstrap a fresh identity store and build the gateway app on it."""

    def make(**environ: str) -> Flask:
        settings = make_settings(**environ)
        bootstrap(settings, out=io.StringIO(), passwords=passwords)
        app = create_app(settings, passwords=passwords)
        app.config["TESTING"] = True
        return app

    return make


@pytest.fixture
def client(make_app: Callable[..., Flask]) -> FlaskClient:
    return make_app().test_client()


@pytest.fixture
def login(client: FlaskClient) -> Login:
    """Log in through the API and return the access token."""

    def log_in(username: str, password: str) -> str:
        response = client.post("/api/v1/auth/token", json={"username": username, "password": password})
        assert response.status_code == 200, response.get_json()
        return response.get_json()["access_token"]

    return log_in


@pytest.fixture
def admin_headers(login: Login) -> dict[str, str]:
    return {"Authorization": f"Bearer {login('admin', ADMIN_PASSWORD)}"}
