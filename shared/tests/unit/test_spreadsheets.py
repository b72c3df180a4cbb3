"""Formula escaping shared by every spreadsheet export."""
from __future__ import annotations

import pytest

from crm_shared.spreadsheets import XLSX_OPTIONS, escape_formula


@pytest.mark.parametrize("text", ["=1+1", "+420 111", "-5", "@SUM(A1)", "\tx", "\rx"])
def test_text_a_spreadsheet_would_run_gets_an_apostrophe(text: str) -> None:
    assert escape_formula(text) == "'" + text


@pytest.mark.parametrize("text", ["Jana", "", "1+1", "a=b"])
def test_other_text_stays_as_it_is(text: str) -> None:
    assert escape_formula(text) == text


def test_workbooks_never_turn_strings_into_formulas_links_or_numbers() -> None:
    assert not any(XLSX_OPTIONS[name] for name in ("strings_to_formulas", "strings_to_urls", "strings_to_numbers"))
