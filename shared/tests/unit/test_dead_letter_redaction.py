"""A dead letter naming an erased subject keeps which event it was, never the subject's values."""
from __future__ import annotations

import json

from crm_shared.dead_letters import redacted_body
from crm_shared.erasure import REDACTED

SUBJECT = "0b6f0c59-8d6e-4c59-9d1a-2f2b3c4d5e6f"


def _event(subject: str, **data: object) -> bytes:
    return json.dumps({"specversion": "1.0", "id": "e-1", "type": "crm.deal.updated", "subject": "d-1",
                       "actorid": "u-1", "actorname": "Jana", "sequence": 3, "data": data}).encode()


def test_a_letter_that_does_not_name_the_subject_is_left_as_it_is() -> None:
    assert redacted_body(_event("d-1", links=[{"id": "someone-else"}]), SUBJECT) is None
    assert redacted_body(b"\xff{not json", SUBJECT) is None
    assert redacted_body(_event("d-1"), "") is None


def test_an_event_naming_the_subject_keeps_its_envelope_and_loses_its_data() -> None:
    body = redacted_body(_event("d-1", links=[{"id": SUBJECT, "name": "Petra Nováková"}]), SUBJECT)
    assert body is not None and b"Petra" not in body
    kept = json.loads(body)
    assert kept == {"specversion": "1.0", "id": "e-1", "type": "crm.deal.updated", "subject": "d-1",
                    "actorid": "u-1", "sequence": 3, "data": REDACTED}


def test_a_body_that_is_no_event_is_replaced_whole() -> None:
    for body in (f"garbage {SUBJECT} Petra".encode(), json.dumps([SUBJECT, "Petra"]).encode()):
        assert json.loads(redacted_body(body, SUBJECT) or b"") == {"data": REDACTED}
