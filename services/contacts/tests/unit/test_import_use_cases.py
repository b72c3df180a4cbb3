"""Importing rows on the fake unit of work: judged as a create judges them, emitted as a create emits them."""
from __future__ import annotations

from typing import Any

from crm_shared.testing.fakes import FakeUnitOfWork
from crm_shared.testing.sessions import FakeUserDirectory

from crm_contacts.domain.imports import BATCH_SIZE, ImportRow, import_key
from crm_contacts.service_layer.imports import get_import, import_batch, preview_import, start_import

from .contacts_fakes import contacts_uow, user

EVA, PETR, ADMIN = user("u-1", "Eva"), user("u-2", "Petr"), user("u-0", "Admin", role="admin")
NO_COMPANY = "00000000-0000-0000-0000-00000000dead"

ROWS = [
    ImportRow(2, values={"first_name": "Jana", "last_name": "Nováková", "tags": ["vip"]}),
    ImportRow(3, errors={"emails.0": ["Not a valid email address."]}),
    ImportRow(4, values={"first_name": " "}),                        # the create's rule: no name
    ImportRow(5, values={"last_name": "Malá", "company_id": NO_COMPANY}),   # the create's reference check
    ImportRow(6, values={"last_name": "Malá", "owner_id": PETR.id}),      # an owner Eva may not assign
    ImportRow(7, values={"last_name": "Nováková", "first_name": "Jana", "tags": ["vip", "vip"]}),  # row 2 again
]


class Units:
    """A factory of fake units of work over the same repositories, keeping every unit it made."""

    def __init__(self, template: FakeUnitOfWork) -> None:
        self.template = template
        self.made: list[FakeUnitOfWork] = []

    def __call__(self, **kwargs: Any) -> FakeUnitOfWork:
        uow = FakeUnitOfWork(**kwargs, contacts=self.template.contacts, groups=self.template.groups,
                             links=self.template.links, imports=self.template.imports)
        self.made.append(uow)
        return uow

    @property
    def events(self) -> list[Any]:
        return [event for uow in self.made for event in uow.events]


def outcomes(report: dict[str, Any]) -> list[tuple[int, str]]:
    return [(row["row"], row["action"]) for row in report["rows"]]


def test_a_dry_run_judges_each_row_with_the_creates_rules_and_writes_nothing() -> None:
    uow = contacts_uow(caller=EVA)

    report = preview_import(uow, "person", ROWS, users=FakeUserDirectory())

    assert outcomes(report) == [(2, "create"), (3, "invalid"), (4, "invalid"), (5, "invalid"), (6, "invalid"),
                                (7, "skipped")]
    reasons = {row["row"]: row["errors"] for row in report["invalid_rows"]}
    assert reasons[4] == {"last_name": ["A person needs a first or a last name."]}
    assert list(reasons[5]) == ["company_id"] and list(reasons[6]) == ["owner_id"]
    assert uow.contacts.items == {} and uow.events == [] and uow.commits == 0


def test_a_job_creates_each_valid_row_as_the_create_does_with_the_channel_import() -> None:
    units = Units(contacts_uow(caller=EVA))
    job = start_import(units(actor=units.template.actor, viewer=EVA), "person", "people.csv", ROWS,
                       users=FakeUserDirectory())

    done = import_batch(units, job.id)

    assert done is not None and (done.status, done.created, done.skipped, done.invalid) == ("done", 1, 1, 4)
    [created] = units.events
    assert (created.operation, created.object_name, created.state["tags"]) == ("created", "Jana Nováková", ["vip"])
    importing = next(uow for uow in units.made if uow.events)
    assert (importing.actor.id, importing.actor.channel) == (EVA.id, "import")
    assert [row["row"] for row in get_import(units(), job.id, EVA)["invalid_rows"]] == [3, 4, 5, 6]


def test_rows_go_in_batches_and_a_second_job_of_the_same_rows_creates_nothing() -> None:
    units = Units(contacts_uow(caller=EVA))
    rows = [ImportRow(n, values={"last_name": f"Person {n}"}) for n in range(2, BATCH_SIZE + 12)]
    first = start_import(units(viewer=EVA), "person", "a.csv", rows, users=FakeUserDirectory())

    progress = import_batch(units, first.id)
    assert progress is not None and (progress.status, progress.processed) == ("running", BATCH_SIZE)
    assert import_batch(units, first.id).status == "done"  # type: ignore[union-attr]
    second = start_import(units(viewer=EVA), "person", "a.csv", rows, users=FakeUserDirectory())
    while (job := import_batch(units, second.id)) and job.status != "done":
        pass

    assert job is not None and (job.created, job.skipped) == (0, len(rows))
    assert len(units.events) == len(rows)


def test_a_job_is_seen_by_its_creator_and_admins_only() -> None:
    units = Units(contacts_uow(caller=EVA))
    job = start_import(units(viewer=EVA), "person", "a.csv", ROWS[:1], users=FakeUserDirectory())

    assert get_import(units(), job.id, ADMIN)["id"] == job.id
    try:
        get_import(units(), job.id, PETR)
        raise AssertionError("Petr sees Eva's import")
    except Exception as error:  # noqa: BLE001
        assert type(error).__name__ == "NotFound"


def test_the_import_key_ignores_spacing_repeats_and_column_order_but_not_the_owner() -> None:
    key = import_key("person", EVA.id, {"first_name": " Jana", "tags": ["a", "a"], "note": ""})
    assert key == import_key("person", EVA.id, {"tags": ["a"], "first_name": "Jana"})
    assert key == import_key("person", EVA.id, {"tags": ["a"], "first_name": "Jana", "owner_id": EVA.id})
    assert key != import_key("person", PETR.id, {"tags": ["a"], "first_name": "Jana"})
    assert key != import_key("company", EVA.id, {"tags": ["a"], "first_name": "Jana"})
