"""The service kit: one visibility rule, refusals answered once, bound units of work, declarations."""
from __future__ import annotations

from pathlib import Path
from typing import ClassVar

import sqlalchemy as sa

from crm_shared import db
from crm_shared.columns import record_key, stamps, uuid_ref
from crm_shared.copies import is_newer
from crm_shared.declaration import ConsumerQueue, ServiceDeclaration, installed
from crm_shared.errors import problem_of
from crm_shared.events import ObjectChanged
from crm_shared.outbox import outbox_table
from crm_shared.rules import RecordLocked, RuleBroken, StateConflict
from crm_shared.unit_of_work import UnitOfWork
from crm_shared.types import utcnow
from crm_shared.upsert import insert_missing, upsert
from crm_shared.visibility import Seer, can_see, visible_owners


def test_a_user_sees_their_own_records_a_manager_also_the_teams_and_an_admin_all() -> None:
    user, manager, admin = Seer("u"), Seer("m", "manager", ("u", "v")), Seer("a", "admin")
    assert visible_owners(user) == ("u",) and visible_owners(manager) == ("m", "u", "v")
    assert visible_owners(admin) is None
    assert can_see(manager, "v") and not can_see(user, "v") and can_see(admin, "anyone")


def test_domain_refusals_become_422_with_fields_409_and_423_naming_the_holder() -> None:
    assert (problem_of(RuleBroken({"name": ["Needed."]})).status,
            problem_of(RuleBroken({"name": ["Needed."]})).extra) == (422, {"errors": {"name": ["Needed."]}})
    assert problem_of(StateConflict("The deal is won already.")).status == 409
    locked = problem_of(RecordLocked("Locked by Eva.", holder_id="u-1", holder_name="Eva"))
    assert (locked.status, locked.extra) == (423, {"holder": {"id": "u-1", "name": "Eva"}})


def test_only_an_event_newer_than_the_copy_is_applied() -> None:
    assert is_newer(3, None) and is_newer(3, 2) and not is_newer(2, 2) and not is_newer(1, 2)


def _change(n: int) -> ObjectChanged:
    return ObjectChanged("person", f"p-{n}", "P", "/p", "updated", n)


def test_a_unit_bound_to_a_consumers_transaction_writes_its_events_there_and_leaves_the_commit_to_it(
    tmp_path: Path,
) -> None:
    engine = db.create_engine(f"sqlite:///{tmp_path}/kit.sqlite3")
    metadata = sa.MetaData()
    table = outbox_table(metadata)
    metadata.create_all(engine)
    with engine.begin() as connection:
        uow = UnitOfWork(connection=connection, outbox_table=table, service="test")
        with uow:
            uow.emit(_change(1))
            uow.commit()
        with uow:  # left without a commit: its savepoint is rolled back
            uow.emit(_change(2))
            connection.execute(table.insert(), [{"event_id": "stray", "routing_key": "x", "body": "{}",
                                                 "created_at": utcnow()}])
        with engine.connect().execution_options(**{db.READ_ONLY: True}) as other:
            assert other.execute(sa.select(sa.func.count()).select_from(table)).scalar() == 0
    with engine.connect() as connection:
        keys = connection.execute(sa.select(table.c.routing_key, table.c.event_id)).all()
    engine.dispose()
    assert [key for key, _ in keys] == ["crm.person.updated"]


class _Notes:
    def __init__(self, connection: sa.Connection) -> None:
        self.connection = connection


class _Tags(_Notes):
    pass


class _NotesUnitOfWork(UnitOfWork, service="notes"):
    notes: _Notes
    #: built otherwise than from the connection alone
    repositories = {"tags": lambda connection: _Tags(connection)}
    tags: _Tags
    limit: ClassVar[int] = 3


class _AuditedNotesUnitOfWork(_NotesUnitOfWork, service="audited-notes"):
    pinned: _Notes


def test_a_unit_of_work_declares_its_repositories_by_annotation_and_inherits_its_parents() -> None:
    assert set(_NotesUnitOfWork.repositories) == {"notes", "tags"}
    assert set(_AuditedNotesUnitOfWork.repositories) == {"notes", "tags", "pinned"}
    assert (_NotesUnitOfWork.service, _AuditedNotesUnitOfWork.service) == ("notes", "audited-notes")


def test_each_transaction_attaches_the_named_repositories_to_its_own_connection(tmp_path: Path) -> None:
    engine = db.create_engine(f"sqlite:///{tmp_path}/kit.sqlite3")
    metadata = sa.MetaData()
    table = outbox_table(metadata)
    metadata.create_all(engine)
    try:
        with _NotesUnitOfWork(engine, table) as first:
            first_connection = first.notes.connection
            assert first_connection is first.connection
        with _NotesUnitOfWork(engine, table) as second:
            assert second.notes.connection is second.connection is not first_connection
    finally:
        engine.dispose()


def test_upserts_insert_update_and_leave_taken_keys_alone(tmp_path: Path) -> None:
    engine = db.create_engine(f"sqlite:///{tmp_path}/upsert.sqlite3")
    metadata = sa.MetaData()
    table = sa.Table("t", metadata, sa.Column("id", sa.String, primary_key=True), sa.Column("v", sa.Integer))
    metadata.create_all(engine)
    with engine.begin() as connection:
        upsert(connection, table, {"id": "a", "v": 1}, keys=("id",))
        upsert(connection, table, {"id": "a", "v": 2}, keys=("id",))
        insert_missing(connection, table, [{"id": "a", "v": 9}, {"id": "b", "v": 3}])
        rows = dict(connection.execute(sa.select(table.c.id, table.c.v)).all())
    engine.dispose()
    assert rows == {"a": 2, "b": 3}


def test_the_installed_services_declare_themselves_with_their_queues_and_routes() -> None:
    services = {service.name: service for service in installed()}
    assert {"gateway", "contacts", "deals", "audit"} <= set(services)
    assert services["gateway"].setup == "bootstrap" and not services["gateway"].routes
    assert services["audit"].queue is not None and services["audit"].queue.bindings == ("crm.#",)
    assert "persons" in services["contacts"].routes and services["deals"].relay


def test_the_suite_plan_runs_what_a_declaration_names() -> None:
    from crm_suite.plan import long_running, setup_steps

    tasks = ServiceDeclaration("tasks", 8083, relay=True, queue=ConsumerQueue("tasks", ("crm.deal.#",)),
                               routes=("tasks",))
    gateway = ServiceDeclaration("gateway", 8080, setup="bootstrap")
    assert [step.name for step in setup_steps([tasks, gateway])] == ["gateway-bootstrap", "tasks-migrate"]
    specs = long_running({}, [tasks])
    assert [spec.name for spec in specs] == ["tasks", "tasks-relay", "tasks-consumer"]
    assert specs[0].argv[-2:] == ["crm_tasks", "serve"] and specs[0].health_url == "http://127.0.0.1:8083/healthz"
    assert specs[1].argv[-2:] == ["crm_shared.relay_main", "tasks"]


def test_the_gateway_routes_the_prefixes_a_service_declares() -> None:
    from crm_shared.routes import declared_owners, owner_of

    owners = declared_owners([ServiceDeclaration("notes", 8090, routes=("notes", "note-types"))])
    assert owners["notes"] == "notes" and owners["note-types"] == "notes"
    assert owner_of("/api/v1/note-types/n-1", owners) == "notes"
    assert owner_of("/api/v2/notes/n-1", owners) is None and owner_of("/api/v1/nothing", owners) is None


def test_a_versioned_record_table_built_from_the_column_groups_has_its_uuid_key_version_and_stamps() -> None:
    table = sa.Table("notes", sa.MetaData(), *record_key(), uuid_ref("owner_id", nullable=True), *stamps())

    assert [column.name for column in table.primary_key] == ["id"]
    assert [(column.name, column.nullable) for column in table.columns] == [
        ("id", False), ("version", False), ("owner_id", True),
        ("created_at", False), ("created_by", False), ("updated_at", False), ("updated_by", False),
    ]
    assert {column.type.length for column in (table.c.id, table.c.owner_id, table.c.created_by)} == {36}


def test_a_copy_of_a_linked_record_takes_newer_states_and_stays_gone_once_gone() -> None:
    from crm_shared.copies import KnownRecord, supersedes

    current = KnownRecord("r", "person", "Jana", owner_id="u", sequence=3)
    assert supersedes(KnownRecord("r", "person", "Jana N.", sequence=4), current)
    assert not supersedes(KnownRecord("r", "person", "Old", sequence=2), current)
    assert supersedes(KnownRecord("r", "person", None, gone=True, sequence=3), current)
    assert not supersedes(KnownRecord("r", "person", "Back", sequence=9), KnownRecord("r", "person", None, gone=True))
    assert supersedes(KnownRecord("r", "person", "Known", sequence=1), KnownRecord("r", "person", None, pending=True))
    assert supersedes(current, None)


def test_link_changes_list_each_removed_then_each_added_link() -> None:
    from crm_shared.links import Link, link_changes, unique_links

    jana, acme, deal = Link("person", "1", "Jana"), Link("company", "2", "Acme"), Link("deal", "3", "D")
    assert [c.as_dict() for c in link_changes([jana, acme], [acme, deal])] == [
        {"field": "links", "before": jana.as_dict(), "after": None},
        {"field": "links", "before": None, "after": deal.as_dict()},
    ]
    assert unique_links([jana, acme, Link("person", "1", "Jana N.")]) == [Link("person", "1", "Jana N."), acme]
