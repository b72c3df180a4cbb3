"""The rules of templates, rules, attachments' names and types, and statistics."""
from __future__ import annotations

from decimal import Decimal

import pytest

from crm_shared.rules import RuleBroken

from crm_interactions.domain.attachments import SAFE_FALLBACK, safe_content_type, safe_filename
from crm_interactions.domain.rules import deal_outcome, linked_contacts, new_rule
from crm_interactions.domain.statistics import Group, statistics_of
from crm_interactions.domain.templates import money_text, new_template

from .fakes import NOW


def test_a_template_needs_a_code_a_known_method_and_initiator_and_no_negative_cost() -> None:
    base = {"code": " call ", "method": "phone", "initiated_by": "us"}
    template = new_template(base, id="t", actor_id="a", now=NOW)
    assert (template.code, template.unit_cost, template.unit_duration_minutes) == ("CALL", Decimal("0"), 0)
    for field, value in (("method", "pigeon"), ("initiated_by", "nobody"), ("unit_cost", Decimal("-1")),
                         ("code", "  "), ("code", "ß" * 11)):
        with pytest.raises(RuleBroken) as refused:
            new_template({**base, field: value}, id="t", actor_id="a", now=NOW)
        assert field in refused.value.errors


def test_a_rule_names_one_event_type_without_wildcards_and_never_the_service_s_own() -> None:
    for event_type in ("crm.person.*", "crm.#", "person.exported", "crm.interaction.created", "crm.attachment.created"):
        with pytest.raises(RuleBroken):
            new_rule({"event_type": event_type, "template_id": "t"}, id="r", actor_id="a", now=NOW)
    with pytest.raises(RuleBroken):
        new_rule({"event_type": "crm.deal.won", "template_id": "t", "task_type_id": "x"}, id="r", actor_id="a",
                 now=NOW)


def test_a_deal_closes_by_its_own_type_or_by_a_status_change() -> None:
    assert deal_outcome("crm.deal.updated", {"changes": [{"field": "status", "before": "open", "after": "lost"}]}) \
        == "lost"
    assert deal_outcome("crm.deal.updated", {"changes": [{"field": "name"}]}) is None
    assert deal_outcome("crm.deal.won", {}) == "won"


def test_an_event_links_its_contact_or_the_persons_and_companies_of_its_links_once() -> None:
    assert linked_contacts("crm.company.exported", {"object_id": "c1", "state": {"name": "Acme"}}) == [
        ("company", "c1", "Acme")]
    links = [{"type": "person", "id": "p1"}, {"type": "person", "id": "p1", "name": "Jana"},
             {"type": "deal", "id": "d1"}, "junk", {"type": "person", "id": "x" * 40}]
    assert linked_contacts("crm.task.completed", {"state": {"links": links}}) == [("person", "p1", "Jana")]


def test_an_upload_s_name_is_its_last_path_part_and_control_characters_are_refused() -> None:
    assert safe_filename("C:\\Users\\jana\\minutes.pdf") == "minutes.pdf"
    assert safe_filename("../../etc/passwd") == "passwd"
    for hostile in ("a\x00b.pdf", "line\nbreak.txt", "", "..", "dir/", "bidi\u202e.pdf"):
        with pytest.raises(RuleBroken):
            safe_filename(hostile)


def test_active_or_malformed_types_and_page_like_bytes_are_served_as_plain_bytes() -> None:
    assert safe_content_type("application/pdf", b"%PDF") == "application/pdf"
    assert safe_content_type("Image/PNG; charset=x", b"\x89PNG") == "image/png"
    for declared in ("text/html", "image/svg+xml", "application/javascript", "not a type", None, "a/b\x00"):
        assert safe_content_type(declared, b"data") == SAFE_FALLBACK
    assert safe_content_type("text/plain", b"  <!DOCTYPE html><p>") == SAFE_FALLBACK


def test_statistics_sum_the_groups_by_method_and_by_initiator_exactly() -> None:
    stats = statistics_of([Group("phone", "us", 2, Decimal("0.10"), 30), Group("phone", "them", 1, Decimal("0.20"), 5),
                           Group("email", "us", 1, Decimal("1.0005"), 0)]).as_dict()
    assert (stats["count"], stats["total_cost"], stats["total_duration_minutes"]) == (4, "1.3005", 35)
    assert stats["by_method"]["phone"] == {"count": 3, "total_cost": "0.30", "total_duration_minutes": 35}
    assert stats["by_initiator"]["us"]["count"] == 3


def test_money_is_written_with_two_decimals_or_four_when_it_has_them() -> None:
    assert [money_text(Decimal(text)) for text in ("12.5", "12.5000", "0.1234", "7")] == [
        "12.50", "12.50", "0.1234", "7.00"]
