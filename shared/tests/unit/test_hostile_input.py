"""Input no handler should see is refused up front: NUL, lone surrogates, deep JSON, oversize requests."""
import json
from typing import Any

import pytest

from crm_shared.errors import BadRequest, ValidationFailed
from crm_shared.hostile_input import (
    MAX_HEADER_LENGTH, MAX_JSON_DEPTH, MAX_URL_LENGTH, NUL_MESSAGE, SURROGATE_MESSAGE, check_json_body, oversize,
    text_problem,
)


def errors_of(body: Any) -> dict[str, list[str]]:
    with pytest.raises(ValidationFailed) as refused:
        check_json_body(json.dumps(body).encode())
    return refused.value.extra["errors"]


def test_ordinary_text_is_accepted_and_nul_or_lone_surrogates_are_not() -> None:
    assert text_problem("Jana Nováková 🙂") is None
    assert text_problem("a\x00b") == NUL_MESSAGE
    assert text_problem("\ud800") == SURROGATE_MESSAGE


def test_a_nul_in_a_nested_string_is_named_by_its_dotted_path() -> None:
    assert errors_of({"first_name": "Jana", "emails": ["ok@example.com", "x\x00@example.com"]}) == {
        "emails.1": [NUL_MESSAGE]}


def test_a_lone_surrogate_in_a_value_or_key_is_named_without_repeating_the_bad_key() -> None:
    assert errors_of({"last_name": "\udc00"}) == {"last_name": [SURROGATE_MESSAGE]}
    assert errors_of({"extra": {"\ud800": "x"}}) == {"extra": [SURROGATE_MESSAGE]}


def test_json_nested_thousands_deep_is_a_bad_request_not_a_recursion_error() -> None:
    for body in (b"[" * 3000 + b"]" * 3000, b'{"a":' * 3000 + b"1" + b"}" * 3000):
        with pytest.raises(BadRequest) as refused:
            check_json_body(body)
        assert "_body" in refused.value.extra["errors"]


def test_json_a_little_deeper_than_allowed_is_refused_and_at_the_limit_accepted() -> None:
    check_json_body(json.dumps(nested(MAX_JSON_DEPTH)).encode())
    with pytest.raises(BadRequest):
        check_json_body(json.dumps(nested(MAX_JSON_DEPTH + 1)).encode())


def test_an_integer_longer_than_python_converts_is_a_bad_request() -> None:
    with pytest.raises(BadRequest):
        check_json_body(b'{"value": ' + b"9" * 5000 + b"}")


def test_a_body_that_is_not_json_is_left_to_the_views_parser() -> None:
    check_json_body(b'{"a": "\\u0000"')  # malformed: the view answers 400 for it


def test_oversize_targets_are_414_and_oversize_headers_431() -> None:
    assert oversize({"PATH_INFO": "/api/v1/persons", "QUERY_STRING": "q=a", "HTTP_ACCEPT": "*/*"}) is None
    assert oversize({"RAW_URI": "/x?q=" + "a" * MAX_URL_LENGTH})[0] == 414  # type: ignore[index]
    assert oversize({"PATH_INFO": "/" + "é" * MAX_URL_LENGTH})[0] == 414  # type: ignore[index]
    refused = oversize({"PATH_INFO": "/", "HTTP_X_NOTE": "a" * (MAX_HEADER_LENGTH + 1)})
    assert refused is not None and refused[0] == 431 and "X-Note" in refused[1]
    many = {f"HTTP_X_{index}": "a" * 8000 for index in range(10)}
    assert oversize({"PATH_INFO": "/", **many})[0] == 431  # type: ignore[index]


def nested(depth: int) -> Any:
    value: Any = "leaf"
    for _ in range(depth):
        value = [value]
    return value
