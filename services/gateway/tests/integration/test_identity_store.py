"""The identity use cases on a real store, SQLite and PostgreSQL alike."""
from __future__ import annotations

from typing import Iterator

import pytest
import sqlalchemy as sa
from argon2 import PasswordHasher
from sqlalchemy.engine import Engine

from crm_shared import db, migrations
from crm_shared.problems import Conflict, NotFound, Unauthorized, ValidationFailed

from crm_gateway.bootstrap import MIGRATIONS_LOCATION
from crm_gateway.identity import services
from crm_gateway.identity.domain import NewUser
from crm_gateway.identity.passwords import Passwords
from crm_gateway.identity.tables import users
from crm_gateway.identity.unit_of_work import UnitOfWorkFactory, unit_of_work_factory


@pytest.fixture
def engine(any_database_url: str) -> Iterator[Engine]:
    migrations.upgrade(any_database_url, MIGRATIONS_LOCATION, "gateway")
    engine = db.create_engine(any_database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def uow(engine: Engine) -> UnitOfWorkFactory:
    return unit_of_work_factory(engine)


def new_user(username: str = "jana", **changes: str | None) -> NewUser:
    fields = {"username": username, "password": "s3cret-pass", "name": "Jana Nováková",
              "email": f"{username}@example.com", "role": "user", **changes}
    return NewUser(**fields)  # type: ignore[arg-type]


def test_the_migrated_table_has_the_columns_the_code_uses(engine: Engine) -> None:
    columns = {column["name"] for column in sa.inspect(engine).get_columns("users")}
    assert columns == {column.name for column in users.c}


def test_a_registered_user_is_found_by_id_and_in_the_list(uow: UnitOfWorkFactory, passwords: Passwords) -> None:
    boss = services.register_user(uow(), passwords, new_user("boss", role="manager"))
    jana = services.register_user(uow(), passwords, new_user("jana", manager_id=boss.id))
    assert services.get_user(uow(), jana.id) == jana
    assert jana.manager_id == boss.id and jana.created_at.tzinfo is not None
    assert [u.username for u in services.list_users(uow())] == ["boss", "jana"]


def test_a_taken_username_is_a_conflict(uow: UnitOfWorkFactory, passwords: Passwords) -> None:
    services.register_user(uow(), passwords, new_user())
    with pytest.raises(Conflict):
        services.register_user(uow(), passwords, new_user())


def test_an_unknown_manager_is_refused_on_manager_id(uow: UnitOfWorkFactory, passwords: Passwords) -> None:
    with pytest.raises(ValidationFailed) as raised:
        services.register_user(uow(), passwords, new_user(manager_id="00000000-0000-4000-8000-000000000000"))
    assert "manager_id" in raised.value.extra["errors"]


def test_an_unknown_id_is_not_found(uow: UnitOfWorkFactory) -> None:
    with pytest.raises(NotFound):
        services.get_user(uow(), "00000000-0000-4000-8000-000000000000")


def test_the_right_password_authenticates_and_others_do_not(uow: UnitOfWorkFactory, passwords: Passwords) -> None:
    jana = services.register_user(uow(), passwords, new_user())
    assert services.authenticate(uow(), passwords, "jana", "s3cret-pass") == jana
    for username, password in [("jana", "wrong-pass"), ("nobody", "s3cret-pass")]:
        with pytest.raises(Unauthorized):
            services.authenticate(uow(), passwords, username, password)


def test_a_hash_from_weaker_parameters_is_upgraded_at_login(uow: UnitOfWorkFactory, passwords: Passwords) -> None:
    jana = services.register_user(uow(), passwords, new_user())
    stronger = Passwords(PasswordHasher(time_cost=2, memory_cost=2048, parallelism=1))
    services.authenticate(uow(), stronger, "jana", "s3cret-pass")
    with uow() as work:
        _user, stored = work.users.credentials("jana")  # type: ignore[misc]
    assert not stronger.needs_rehash(stored) and stronger.verify(stored, "s3cret-pass")
    assert services.get_user(uow(), jana.id) == jana


def test_nothing_is_kept_without_a_commit(uow: UnitOfWorkFactory, passwords: Passwords) -> None:
    jana = services.register_user(uow(), passwords, new_user())
    with uow() as work:
        work.users.set_password_hash(jana.id, "changed")
    with uow() as work:
        assert work.users.credentials("jana")[1] != "changed"  # type: ignore[index]
