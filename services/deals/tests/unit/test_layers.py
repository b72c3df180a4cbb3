"""The deals service keeps the suite's layers: a pure domain, and views that reach no adapter."""
from crm_shared.testing.layers import layering_violations


def test_the_domain_imports_no_framework_and_the_api_imports_no_adapter() -> None:
    assert layering_violations("crm_deals") == []
