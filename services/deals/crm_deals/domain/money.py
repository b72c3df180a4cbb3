"""Exact money: ISO 4217 currencies, their minor units, and product line totals."""
from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from crm_shared.decimals import LIMIT, OUT_OF_RANGE, PLACES, as_text, in_range, to_decimal

__all__ = ["CURRENCIES", "HUNDRED", "LIMIT", "OUT_OF_RANGE", "PLACES", "as_text", "in_minor_units", "in_range",
           "line_total", "to_decimal"]

#: ISO 4217 codes in use and their number of minor units (the decimals an amount keeps)
CURRENCIES: dict[str, int] = {
    **dict.fromkeys(
        "AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BMD BND BOB BRL BSD BTN BWP BYN BZD "
        "CAD CDF CHF CNY COP CRC CUP CZK DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD GTQ "
        "GYD HKD HNL HTG HUF IDR ILS INR IRR JMD KES KGS KHR KYD KZT LAK LBP LKR LRD LSL MAD MDL MGA "
        "MKD MMK MNT MOP MRU MUR MVR MWK MXN MYR MZN NAD NGN NIO NOK NPR NZD PAB PEN PGK PHP PKR PLN "
        "QAR RON RSD RUB SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SYP SZL THB TJS TMT TOP TRY "
        "TTD TWD TZS UAH UYU UZS VES WST XCD YER ZAR ZMW ZWG".split(), 2),
    **dict.fromkeys("BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX VND VUV XAF XOF XPF".split(), 0),
    **dict.fromkeys("BHD IQD JOD KWD LYD OMR TND".split(), 3),
}

HUNDRED = Decimal(100)


def in_minor_units(amount: Decimal, currency: str) -> Decimal:
    """Round an amount half up to the minor units of its currency."""
    return amount.quantize(Decimal(1).scaleb(-CURRENCIES.get(currency, 2)), rounding=ROUND_HALF_UP)


def line_total(quantity: Decimal, unit_price: Decimal, discount_percent: Decimal, currency: str) -> Decimal:
    """Return quantity × unit price less the discount, in the currency's minor units.

    Raise ValueError when the total is out of range (the operands each are in range).
    """
    total = quantity * unit_price * (HUNDRED - discount_percent) / HUNDRED
    if abs(total) >= LIMIT:
        raise ValueError(OUT_OF_RANGE)
    return in_minor_units(total, currency)


