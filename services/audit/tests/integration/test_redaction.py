"""Anonymizing a person redacts its audit history, in the consumer's transaction (AUD-6)."""
from __future__ import annotations

import csv
import io
import json
import threading
from datetime import datetime, timedelta, timezone
from typing import Any, Callable

import openpyxl
import pytest
import sqlalchemy as sa

from crm_audit.__main__ import MIGRATIONS
from crm_audit.adapters import repository
from crm_audit.adapters.tables import anonymized_subjects
from crm_audit.consumer import handle_events
from crm_shared.unit_of_work import Transaction
from crm_audit.domain.redaction import REDACTED
from crm_shared import db, migrations
from crm_shared.changes import Change
from crm_shared.envelope import CloudEvent

T0 = datetime(2026, 11, 22, 10, 0, tzinfo=timezone.utc)
ERASED = ["Řehoř", "Nováček", "rehor@example.cz", "+420 601 234 567", "Praha 1, Vodičkova 7"]


def person_history(make_event: Callable[..., CloudEvent], person_id: str) -> list[CloudEvent]:
    """A person created, then changed, then anonymized: the life CON-4 describes."""
    return [
        make_event(object_id=person_id, object_name="Řehoř Nováček", operation="created", time=T0, sequence=1,
                   changes=(Change("first_name", None, "Řehoř"), Change("last_name", None, "Nováček"),
                            Change("emails", None, ["rehor@example.cz"]))),
        make_event(object_id=person_id, object_name="Řehoř Nováček", operation="updated", sequence=2,
                   time=T0 + timedelta(minutes=1),
                   changes=(Change("phones", [], ["+420 601 234 567"]),
                            Change("address", None, {"street": "Praha 1, Vodičkova 7"}))),
        make_event(object_id=person_id, object_name="", operation="anonymized", sequence=3,
                   time=T0 + timedelta(minutes=2),
                   changes=(Change("first_name", "Řehoř", None), Change("last_name", "Nováček", None),
                            Change("emails", ["rehor@example.cz"], None),
                            Change("phones", ["+420 601 234 567"], None),
                            Change("address", {"street": "Praha 1, Vodičkova 7"}, None))),
    ]


def history(client, tokens, person_id: str) -> list[dict[str, Any]]:
    response = client.get(f"/api/v1/audit/objects/person/{person_id}/history", headers=tokens.headers())
    assert response.status_code == 200
    return response.get_json()["items"]


def assert_nothing_erased_in(text: str) -> None:
    found = [value for value in ERASED if value in text]
    assert found == [], f"erased values still readable: {found}"


def test_anonymizing_redacts_every_earlier_value_and_name_but_keeps_the_entries(
    client, tokens, make_event, record
) -> None:
    events = person_history(make_event, "p-1")
    record(events[:2])
    record(events[2:])

    entries = history(client, tokens, "p-1")

    assert [e["operation"] for e in entries] == ["anonymized", "updated", "created"]
    assert_nothing_erased_in(json.dumps(entries, ensure_ascii=False))
    anonymized, updated, created = entries
    assert anonymized["changes"][0] == {"field": "first_name", "before": REDACTED, "after": None}
    assert updated["object_name"] == created["object_name"] == REDACTED
    assert {"field": "first_name", "before": None, "after": REDACTED} in created["changes"]


def test_the_export_holds_none_of_the_erased_values(client, tokens, make_event, record) -> None:
    record(person_history(make_event, "p-1"))

    for file_format in ("csv", "xlsx"):
        response = client.get("/api/v1/audit/entries/export", query_string={"format": file_format},
                              headers=tokens.headers())
        assert response.status_code == 200
        if file_format == "csv":
            text = response.get_data().decode("utf-8")
            assert len(list(csv.reader(io.StringIO(text)))) == 1 + 3 + 2 + 5
        else:
            sheet = openpyxl.load_workbook(io.BytesIO(response.get_data())).active
            text = json.dumps([list(row) for row in sheet.iter_rows(values_only=True)], ensure_ascii=False,
                              default=str)
        assert_nothing_erased_in(text)
        assert REDACTED in text


def test_an_entry_arriving_after_the_anonymization_is_stored_redacted(client, tokens, make_event, record) -> None:
    created, updated, anonymized = person_history(make_event, "p-1")
    record([anonymized])
    record([updated])  # delivered late: it happened before the anonymization
    record([created])

    entries = history(client, tokens, "p-1")

    assert len(entries) == 3
    assert_nothing_erased_in(json.dumps(entries, ensure_ascii=False))


def test_one_batch_holding_history_and_anonymization_is_redacted_whole(client, tokens, make_event, record) -> None:
    record(person_history(make_event, "p-1"))

    assert_nothing_erased_in(json.dumps(history(client, tokens, "p-1"), ensure_ascii=False))


def test_changes_after_the_anonymization_and_other_persons_stay_readable(
    client, tokens, make_event, record
) -> None:
    record(person_history(make_event, "p-1"))
    record([
        make_event(object_id="p-1", object_name="", operation="updated", sequence=4, time=T0 + timedelta(minutes=3),
                   changes=(Change("tags", [], ["vip"]),)),
        make_event(object_id="p-2", object_name="Řehoř Nováček", operation="created", time=T0,
                   changes=(Change("first_name", None, "Řehoř"),)),
    ])

    assert history(client, tokens, "p-1")[0]["changes"] == [{"field": "tags", "before": [], "after": ["vip"]}]
    assert history(client, tokens, "p-2")[0]["object_name"] == "Řehoř Nováček"


def deal_linking(make_event, person_id: str, *, minutes: int, sequence: int = 1) -> CloudEvent:
    """A deal event whose `links` change names the person, as the deals service sends it."""
    link = {"type": "person", "id": person_id, "name": "Řehoř Nováček"}
    return make_event(object_type="deal", object_id="d-1", object_name="Big deal", sequence=sequence,
                      operation="updated", time=T0 + timedelta(minutes=minutes), changes=(Change("links", None, link),))


def test_anonymizing_redacts_the_name_in_other_objects_entries_that_link_the_person(
    client, tokens, make_event, record
) -> None:
    record([deal_linking(make_event, "p-1", minutes=1)])
    record(person_history(make_event, "p-1"))

    deal = client.get("/api/v1/audit/objects/deal/d-1/history", headers=tokens.headers()).get_json()["items"]

    assert deal[0]["object_name"] == "Big deal"
    assert deal[0]["changes"] == [{"field": "links", "before": None,
                                   "after": {"type": "person", "id": "p-1", "name": REDACTED}}]


def test_an_entry_naming_an_anonymized_person_that_arrives_later_is_stored_redacted(
    client, tokens, make_event, record
) -> None:
    record(person_history(make_event, "p-1"))
    record([deal_linking(make_event, "p-1", minutes=1), deal_linking(make_event, "p-1", minutes=9, sequence=2)])

    entries = client.get("/api/v1/audit/entries", query_string={"object_type": "deal"},
                         headers=tokens.headers()).get_json()["items"]

    assert len(entries) == 2
    assert_nothing_erased_in(json.dumps(entries, ensure_ascii=False))


def test_the_latest_of_two_anonymizations_is_remembered(audit_engine, make_event, record) -> None:
    first = make_event(object_id="p-1", operation="anonymized", time=T0 + timedelta(minutes=5), changes=())
    second = make_event(object_id="p-1", operation="anonymized", time=T0 + timedelta(minutes=9), changes=())
    record([second])
    record([first])

    with audit_engine.connect() as connection:
        rows = connection.execute(sa.select(anonymized_subjects)).mappings().all()
    assert [(row["object_id"], row["event_id"]) for row in rows] == [("p-1", second.id)]


@pytest.mark.integration
def test_an_entry_committing_while_the_anonymization_is_handled_elsewhere_is_redacted_too(
    postgres_url: str, make_event
) -> None:
    migrations.upgrade(postgres_url, MIGRATIONS, "audit")
    engine = db.create_engine(postgres_url)
    _created, updated, anonymized = person_history(make_event, "p-1")
    try:
        first = engine.connect()
        transaction = first.begin()
        handle_events(Transaction(connection=first), [updated])  # a consumer holding the person's change, not committed yet
        second = threading.Thread(target=lambda: _record(engine, [anonymized]))
        second.start()
        second.join(0.5)
        assert second.is_alive(), "the anonymization must wait for the other transaction on that person"
        transaction.commit()
        first.close()
        second.join(10)
        with engine.connect() as connection:
            stored = repository.get(connection, updated.id)
    finally:
        engine.dispose()
    assert stored is not None and stored.object_name == REDACTED
    assert_nothing_erased_in(json.dumps(stored.changes, ensure_ascii=False))


def _record(engine: sa.Engine, events: list[CloudEvent]) -> None:
    with engine.begin() as connection:
        handle_events(Transaction(connection=connection), events)
