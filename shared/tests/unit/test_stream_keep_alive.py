"""How often a quiet stream gets a keep-alive: five seconds unless CRM_STREAM_KEEP_ALIVE_SECONDS says otherwise."""
from __future__ import annotations

import pytest

from crm_shared.live import KEEP_ALIVE_SECONDS, keep_alive_seconds


def test_unset_or_blank_is_the_default() -> None:
    assert keep_alive_seconds({}) == KEEP_ALIVE_SECONDS == 5.0
    assert keep_alive_seconds({"CRM_STREAM_KEEP_ALIVE_SECONDS": " "}) == KEEP_ALIVE_SECONDS


@pytest.mark.parametrize("text, seconds", [("1", 1.0), ("0.5", 0.5), ("25", 25.0)])
def test_a_number_of_seconds_is_taken(text: str, seconds: float) -> None:
    assert keep_alive_seconds({"CRM_STREAM_KEEP_ALIVE_SECONDS": text}) == seconds


@pytest.mark.parametrize("text", ["0", "-1", "26", "nan", "inf", "soon"])
def test_anything_else_is_refused_naming_the_setting(text: str) -> None:
    with pytest.raises(ValueError, match="CRM_STREAM_KEEP_ALIVE_SECONDS"):
        keep_alive_seconds({"CRM_STREAM_KEEP_ALIVE_SECONDS": text})
