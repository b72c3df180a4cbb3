"""The domain and the live hub stay free of the web, the database, the bus and the wire schemas;
the API of adapters."""
from __future__ import annotations

from crm_shared.testing.layers import layering_violations


def test_the_kit_s_layering_rule_holds_the_domain_pure_and_the_api_free_of_adapters() -> None:
    assert layering_violations("crm_counters", pure=("domain", "live")) == []
