"""The IČO check digit, ARES answers mapped to companies, the cache, and search links."""
from __future__ import annotations

import pytest

from crm_shared.testing.fake_ares import SUBJECTS

from crm_contacts.domain.search_links import search_links
from crm_contacts.registry.ares import company_from_ares
from crm_contacts.registry.cache import TTLCache
from crm_contacts.registry.ico import InvalidIco, check_digit, normalize_ico


@pytest.mark.parametrize("ico", ["27074358", "00006947", "25596641", "12345679", "45274649"])
def test_valid_icos_pass_the_mod_11_check(ico: str) -> None:
    assert normalize_ico(ico) == ico


@pytest.mark.parametrize("ico", ["27074359", "12345678", "00006940"])
def test_a_wrong_check_digit_is_refused(ico: str) -> None:
    with pytest.raises(InvalidIco, match="check digit"):
        normalize_ico(ico)


@pytest.mark.parametrize("text", ["", "abc", "123456789", "2707-4358"])
def test_text_that_is_not_up_to_8_digits_is_refused(text: str) -> None:
    with pytest.raises(InvalidIco):
        normalize_ico(text)


def test_short_icos_are_padded_with_leading_zeros_and_spaces_ignored() -> None:
    assert normalize_ico("6947") == "00006947"
    assert normalize_ico(" 270 74 358 ") == "27074358"


def test_the_check_digit_wraps_10_to_0_and_11_to_1() -> None:
    assert check_digit("0000001") == 9  # s = 2 → 11 − 2 = 9
    assert check_digit("2559664") == 1  # s mod 11 = 0 → 11 → 1
    assert check_digit("0000006") == 0  # s = 12, mod 11 = 1 → 10 → 0


def test_an_ares_subject_maps_to_name_ico_dic_and_a_structured_address() -> None:
    company = company_from_ares(SUBJECTS["27074358"])

    assert (company.reg_id, company.name, company.vat_id) == ("27074358", "Asseco Central Europe, a.s.", "CZ27074358")
    assert company.address == {"street": "Budějovická 778/3a", "city": "Praha", "postal_code": "140 00",
                               "country": "Česká republika"}
    assert company.address_text == "Budějovická 778/3a, Michle, 14000 Praha 4"


def test_a_seat_found_only_in_the_register_details_is_used_and_a_missing_dic_is_none() -> None:
    company = company_from_ares(SUBJECTS["25596641"])

    assert company.vat_id is None
    assert company.address == {"street": "Horní Lhota 12", "city": "Horní Lhota", "postal_code": "747 64",
                               "country": "Česká republika"}
    assert company.company_patch()["name"] == "Řeznictví U Nováčků s.r.o."


def test_the_cache_answers_from_memory_until_the_entry_expires() -> None:
    now = [0.0]
    cache: TTLCache[int] = TTLCache(60, clock=lambda: now[0])
    loads: list[int] = []

    def load() -> int:
        loads.append(1)
        return len(loads)

    assert cache.get_or_load("k", load) == 1
    assert cache.get_or_load("k", load) == 1
    now[0] = 61
    assert cache.get_or_load("k", load) == 2


def test_search_links_query_firmy_cz_and_google_for_the_name() -> None:
    links = search_links("Řeznictví U Nováčků & syn")

    assert links["firmy_cz"] == "https://www.firmy.cz/?q=%C5%98eznictv%C3%AD+U+Nov%C3%A1%C4%8Dk%C5%AF+%26+syn"
    assert links["google"].startswith("https://www.google.cz/search?q=%C5%98eznictv%C3%AD")
