"""Entity tags: a conditional write names the version it was based on."""
import pytest

from crm_shared.errors import PreconditionFailed

from crm_shared.preconditions import etag, matches, require_match


def test_an_etag_names_the_version() -> None:
    assert etag(3) == '"v3"'


def test_if_match_accepts_the_current_version_a_list_a_weak_tag_or_a_star() -> None:
    assert matches('"v3"', 3)
    assert matches('"v1", "v3"', 3)
    assert matches('W/"v3"', 3)
    assert matches("*", 3)
    assert not matches('"v2"', 3)
    assert not matches(None, 3)


def test_a_stale_if_match_is_refused_and_none_means_current() -> None:
    require_match(None, 5)
    require_match('"v5"', 5)
    with pytest.raises(PreconditionFailed):
        require_match('"v4"', 5)
