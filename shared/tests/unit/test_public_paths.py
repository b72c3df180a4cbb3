"""Which paths a service serves without a token: the public ones and what lies below them, segment by segment."""
from __future__ import annotations

import pytest

from crm_shared.auth import is_public

PUBLIC = ("/healthz", "/docs", "/api/v1/feed/", "/api/v1/x/stream")


@pytest.mark.parametrize("path", ["/healthz", "/docs", "/docs/swagger.css", "/api/v1/feed", "/api/v1/feed/a.ics",
                                  "/api/v1/x/stream", "/api/v1/x/stream/"])
def test_a_public_path_and_what_lies_below_it_are_public(path: str) -> None:
    assert is_public(path, PUBLIC)


@pytest.mark.parametrize("path", ["/healthzz", "/docsecret", "/api/v1/feeds", "/api/v1/x/stream-ticket",
                                  "/api/v1/x", "/", ""])
def test_a_sibling_sharing_only_the_letters_is_not(path: str) -> None:
    assert not is_public(path, PUBLIC)


def test_an_empty_entry_opens_nothing() -> None:
    assert not is_public("/api/v1/persons", ("", "/"))
