"""Configuration: one database URL template gives every service its own database."""
from pathlib import Path

from crm_shared.config import Settings, service_url


def test_the_service_placeholder_names_each_service_database() -> None:
    env = {"CRM_DATABASE_URL": "postgresql+psycopg://db/crm_{service}", "CRM_BROKER_URL": "amqp://b//"}
    assert Settings.from_env("audit", env).database_url == "postgresql+psycopg://db/crm_audit"
    assert not Settings.from_env("audit", env).embedded_broker


def test_the_embedded_default_keeps_sqlite_files_in_the_data_dir(tmp_path: Path) -> None:
    settings = Settings.from_env("contacts", {"CRM_DATA_DIR": str(tmp_path)})
    assert settings.database_url == f"sqlite:///{tmp_path}/contacts.sqlite3"
    assert settings.embedded_broker
    assert settings.jwks_url == "http://127.0.0.1:8080/.well-known/jwks.json"


def test_service_urls_follow_ports_unless_given() -> None:
    assert service_url("audit", {"CRM_AUDIT_PORT": "9000"}) == "http://127.0.0.1:9000"
    assert service_url("audit", {"CRM_AUDIT_URL": "http://audit:8000/"}) == "http://audit:8000"
