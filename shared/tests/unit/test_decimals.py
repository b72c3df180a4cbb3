"""Exact decimals from the wire: four places at most, below 10^14, written back without exponents."""
from __future__ import annotations

from decimal import Decimal

import pytest
from marshmallow import Schema, ValidationError

from crm_shared.decimals import as_text, in_range, to_decimal
from crm_shared.schema_fields import DecimalText


def test_strings_and_numbers_are_read_exactly_as_written() -> None:
    assert to_decimal("12.50") == Decimal("12.50")
    assert to_decimal(0.1) == Decimal("0.1")
    assert as_text(Decimal("1E+2")) == "100"
    assert as_text(None) is None


@pytest.mark.parametrize("value", ["1e400", "NaN", "Infinity", "0.00001", "100000000000000", True, "", "abc"])
def test_what_cannot_be_stored_exactly_is_refused(value: object) -> None:
    with pytest.raises(ValueError):
        to_decimal(value)


def test_the_wire_field_names_the_problem() -> None:
    schema = Schema.from_dict({"cost": DecimalText()})()
    assert schema.load({"cost": "3.75"}) == {"cost": Decimal("3.75")}
    with pytest.raises(ValidationError) as refused:
        schema.load({"cost": "1e400"})
    assert refused.value.messages == {"cost": ["Out of range: at most 14 digits before the decimal point."]}
    assert in_range(Decimal("99999999999999.9999"))
