"""The Czech company number (IČO) and its mod-11 check digit."""
from __future__ import annotations

import re

LENGTH = 8
WEIGHTS = (8, 7, 6, 5, 4, 3, 2)


class InvalidIco(ValueError):
    """Text that is not a valid IČO."""


def check_digit(first_seven: str) -> int:
    """Return the check digit of the first seven digits: (11 − Σ d·w mod 11) mod 10."""
    total = sum(int(digit) * weight for digit, weight in zip(first_seven, WEIGHTS))
    return (11 - total % 11) % 10


def normalize_ico(text: str) -> str:
    """Return the IČO as 8 digits (shorter ones padded with zeros); raise InvalidIco if it is not one."""
    digits = re.sub(r"\s", "", text or "")
    if not re.fullmatch(r"\d{1,8}", digits):
        raise InvalidIco("An IČO has at most 8 digits.")
    digits = digits.zfill(LENGTH)
    if int(digits[-1]) != check_digit(digits[:7]):
        raise InvalidIco("The IČO check digit does not match.")
    return digits
