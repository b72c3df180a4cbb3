"""Stream tickets (the kit's): a secret spent once within a minute, only its SHA-256 kept, the caller stored with it."""
from __future__ import annotations

import hashlib
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
import sqlalchemy as sa

from crm_shared import db
from crm_shared.errors import Unauthorized
from crm_shared.stream_auth import TICKET_REFUSED, stream_authenticator
from crm_shared.stream_tickets import issue_ticket, take_ticket
from crm_shared.testing.fakes import FakeUnitOfWork, InMemoryStreamTickets
from crm_shared.ticket_store import TicketTransaction, stream_tickets_table
from crm_shared.visibility import Seer

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=timezone.utc)
BOB = Seer("bob", role="manager", team=("ann",), name="Bob")
PATH = "/api/v1/things/stream"


@pytest.fixture
def uow() -> FakeUnitOfWork:
    return FakeUnitOfWork(tickets=InMemoryStreamTickets())


def test_a_ticket_names_its_stream_and_opens_it_once_as_the_caller_it_was_issued_to(uow: FakeUnitOfWork) -> None:
    issued = issue_ticket(uow, BOB, NOW, PATH)
    assert issued["stream"] == f"{PATH}?ticket={issued['ticket']}"
    assert issued["expires_at"] == (NOW + timedelta(seconds=60)).isoformat()
    assert take_ticket(uow, issued["ticket"], NOW) == {"id": "bob", "role": "manager", "team": ["ann"], "name": "Bob"}
    assert take_ticket(uow, issued["ticket"], NOW) is None
    assert uow.commits == 3


def test_a_ticket_expires_after_a_minute_and_issuing_forgets_the_expired(uow: FakeUnitOfWork) -> None:
    late = issue_ticket(uow, BOB, NOW, PATH)
    assert take_ticket(uow, late["ticket"], NOW + timedelta(seconds=60)) is None
    stale = issue_ticket(uow, BOB, NOW, PATH)
    issue_ticket(uow, BOB, NOW + timedelta(seconds=61), PATH)
    assert len(uow.tickets.tickets) == 1
    assert take_ticket(uow, stale["ticket"], NOW) is None


def test_an_empty_or_over_long_ticket_is_refused_without_a_look_at_the_store(uow: FakeUnitOfWork) -> None:
    assert take_ticket(uow, "", NOW) is None and take_ticket(uow, "x" * 500, NOW) is None
    assert uow.commits == 0


def test_the_store_keeps_the_secret_s_sha256_and_never_the_secret(tmp_path: Path) -> None:
    metadata = sa.MetaData()
    table = stream_tickets_table(metadata)
    engine = db.create_engine(f"sqlite:///{tmp_path / 'tickets.db'}")
    metadata.create_all(engine)
    issued = issue_ticket(TicketTransaction(engine, table), BOB, NOW, PATH)
    with engine.connect() as connection:
        rows = connection.execute(sa.select(table)).mappings().all()
    assert [row["secret_hash"] for row in rows] == [hashlib.sha256(issued["ticket"].encode()).hexdigest()]
    assert issued["ticket"] not in str([dict(row) for row in rows])
    assert take_ticket(TicketTransaction(engine, table), issued["ticket"], NOW)["id"] == "bob"
    assert take_ticket(TicketTransaction(engine, table), issued["ticket"], NOW) is None
    engine.dispose()


def test_a_stream_opens_by_token_else_by_ticket_and_a_refused_ticket_says_so(uow: FakeUnitOfWork) -> None:
    class Verifier:
        def verify(self, token: str) -> object:
            return f"verified {token}"

    authenticate = stream_authenticator(Verifier(), lambda: uow)  # type: ignore[arg-type]
    issued = issue_ticket(uow, BOB, datetime.now(timezone.utc), PATH)
    assert authenticate("t0ken", issued["ticket"]) == "verified t0ken"
    caller = authenticate(None, issued["ticket"])
    assert (caller.id, caller.role, caller.team, caller.name) == ("bob", "manager", ("ann",), "Bob")
    with pytest.raises(Unauthorized) as refused:
        authenticate(None, issued["ticket"])
    assert refused.value.detail == TICKET_REFUSED
    with pytest.raises(Unauthorized):
        authenticate(None, None)
