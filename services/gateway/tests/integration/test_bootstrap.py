"""`bootstrap`: schema, signing key and first admin, safe to run on every start."""
from __future__ import annotations

import io
import os
import re
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from crm_shared import db
from crm_shared.config import Settings

from crm_gateway.bootstrap import bootstrap
from crm_gateway.identity import services
from crm_gateway.identity.passwords import Passwords
from crm_gateway.identity.unit_of_work import unit_of_work_factory
from crm_gateway.keys import load_signing_key

PASSWORD_LINE = re.compile(r"^admin password: (\S+) \(shown once\)$")


def settings_for(tmp_path: Path, database_url: str, **environ: str) -> Settings:
    return Settings.from_env("gateway", {"CRM_DATA_DIR": str(tmp_path / "var"),
                                         "CRM_DATABASE_URL": database_url, **environ})


def users_of(database_url: str) -> list[str]:
    engine: Engine = db.create_engine(database_url)
    try:
        return [user.username for user in services.list_users(unit_of_work_factory(engine)())]
    finally:
        engine.dispose()


def test_the_first_bootstrap_prints_a_random_admin_password_once(
    tmp_path: Path, any_database_url: str, passwords: Passwords
) -> None:
    settings = settings_for(tmp_path, any_database_url)
    first, second = io.StringIO(), io.StringIO()
    bootstrap(settings, out=first, passwords=passwords)
    bootstrap(settings, out=second, passwords=passwords)
    (line,) = first.getvalue().splitlines()
    password = PASSWORD_LINE.match(line).group(1)  # type: ignore[union-attr]
    assert len(password) >= 16 and second.getvalue() == ""
    assert users_of(any_database_url) == ["admin"]
    engine = db.create_engine(any_database_url)
    admin = services.authenticate(unit_of_work_factory(engine)(), passwords, "admin", password)
    engine.dispose()
    assert admin.role == "admin"


def test_the_signing_key_is_made_once_and_private(tmp_path: Path, sqlite_url: str, passwords: Passwords) -> None:
    settings = settings_for(tmp_path, sqlite_url)
    bootstrap(settings, out=io.StringIO(), passwords=passwords)
    path = tmp_path / "var" / "keys" / "jwt-signing-key.pem"
    kid = load_signing_key(path).kid
    bootstrap(settings, out=io.StringIO(), passwords=passwords)
    assert load_signing_key(path).kid == kid
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_the_key_file_variable_moves_the_key(tmp_path: Path, sqlite_url: str, passwords: Passwords) -> None:
    path = tmp_path / "elsewhere" / "key.pem"
    bootstrap(settings_for(tmp_path, sqlite_url, CRM_JWT_PRIVATE_KEY_FILE=str(path)),
              out=io.StringIO(), passwords=passwords)
    assert path.exists() and not (tmp_path / "var" / "keys").exists()


def test_a_chosen_admin_password_is_used_and_not_printed(
    tmp_path: Path, sqlite_url: str, passwords: Passwords
) -> None:
    out = io.StringIO()
    bootstrap(settings_for(tmp_path, sqlite_url, CRM_ADMIN_PASSWORD="chosen-one-1"), out=out, passwords=passwords)
    assert out.getvalue() == ""
    engine = db.create_engine(sqlite_url)
    assert services.authenticate(unit_of_work_factory(engine)(), passwords, "admin", "chosen-one-1").role == "admin"
    engine.dispose()


def test_bootstraps_racing_each_other_make_one_admin(
    tmp_path: Path, any_database_url: str, passwords: Passwords
) -> None:
    settings = settings_for(tmp_path, any_database_url)
    outputs = [io.StringIO() for _ in range(3)]
    errors: list[BaseException] = []

    def run(out: io.StringIO) -> None:
        try:
            bootstrap(settings, out=out, passwords=passwords)
        except BaseException as exc:  # collected for the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(out,)) for out in outputs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert sum(len(out.getvalue().splitlines()) for out in outputs) == 1
    assert users_of(any_database_url) == ["admin"]


@pytest.mark.timeout(120)
def test_the_bootstrap_command_runs_from_the_command_line(tmp_path: Path, sqlite_url: str) -> None:
    env = {**os.environ, "CRM_DATA_DIR": str(tmp_path / "var"), "CRM_DATABASE_URL": sqlite_url}
    env.pop("CRM_ADMIN_PASSWORD", None)
    run = subprocess.run([sys.executable, "-m", "crm_gateway", "bootstrap"], env=env,
                         capture_output=True, text=True, timeout=100, check=True)
    assert PASSWORD_LINE.match(run.stdout.strip())
    again = subprocess.run([sys.executable, "-m", "crm_gateway", "bootstrap"], env=env,
                           capture_output=True, text=True, timeout=100, check=True)
    assert again.stdout == ""
