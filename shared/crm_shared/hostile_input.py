"""Defences every service shares against input no handler should ever see.

PostgreSQL refuses NUL characters in text, lone surrogates cannot be encoded to UTF-8,
Python's json parser recurses once per nesting level, and gunicorn answers over-long
request lines and headers in its own format. Each of these would otherwise surface as a
500 deep inside a handler; here they become problems naming what was wrong, before any
view runs.
"""
from __future__ import annotations

import json
import sys
from typing import Any, Callable, Iterable, Iterator, Mapping, TypeVar
from urllib.parse import quote

from crm_shared.errors import BadRequest, ValidationFailed

#: The longest request target (path and query) a service reads; longer ones are 414.
MAX_URL_LENGTH = 8192
#: The longest single header value; longer ones are 431.
MAX_HEADER_LENGTH = 8190
#: The most bytes all headers of a request may take together; more is 431.
MAX_HEADERS_SIZE = 64 * 1024
#: The deepest nesting of arrays and objects a JSON body may have; deeper ones are 400.
MAX_JSON_DEPTH = 64

NUL_MESSAGE = "Must not contain NUL characters."
SURROGATE_MESSAGE = "Must be valid Unicode text (no lone surrogates)."

F = TypeVar("F", bound=Callable[..., Any])


def text_problem(text: str) -> str | None:
    """Return why `text` cannot be stored as text, or None when it can."""
    if "\x00" in text:
        return NUL_MESSAGE
    if not text.isascii():
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            return SURROGATE_MESSAGE
    return None


def check_texts(named: Iterable[tuple[str, str]]) -> None:
    """Raise a 422 naming every (name, text) pair whose text cannot be stored."""
    errors: dict[str, list[str]] = {}
    for name, text in named:
        problem = text_problem(text)
        if problem is not None:
            errors.setdefault(name, []).append(problem)
    if errors:
        raise ValidationFailed(errors)


def check_json_body(body: bytes) -> None:
    """Refuse a JSON body nested too deeply (400) or with strings that cannot be stored (422)."""
    # NUL and lone surrogates can only arrive as \u escapes (raw ones are not valid JSON or
    # UTF-8), depth needs brackets, a number too long for Python's int needs as many bytes:
    # short bodies with none of these are the common case and need no parse here.
    digits = sys.get_int_max_str_digits()
    if ((digits == 0 or len(body) < digits) and b"\\u" not in body
            and body.count(b"[") + body.count(b"{") <= MAX_JSON_DEPTH):
        return
    try:
        document = json.loads(body)
    except RecursionError:
        raise _too_deep() from None
    except json.JSONDecodeError:
        return  # not JSON: the view's own parser answers 400 for it
    except ValueError as exc:  # an integer with more digits than Python converts
        raise BadRequest(f"The JSON body is not accepted: {exc}.", errors={"_body": [str(exc)]}) from None
    check_texts(_strings(document))


def _too_deep() -> BadRequest:
    return BadRequest(f"The JSON body is nested deeper than {MAX_JSON_DEPTH} levels.",
                      errors={"_body": [f"Nested deeper than {MAX_JSON_DEPTH} levels."]})


def _strings(document: Any) -> Iterator[tuple[str, str]]:
    """Yield (dotted path, text) for every key and string of a parsed JSON document."""
    stack: list[tuple[str, Any, int]] = [("", document, 0)]
    while stack:
        path, value, depth = stack.pop()
        if depth > MAX_JSON_DEPTH:
            raise _too_deep()
        if isinstance(value, str):
            yield path or "_body", value
        elif isinstance(value, dict):
            for key, inner in value.items():
                # a key that cannot be stored cannot be named in the answer either: name its parent
                where = (path or "_body") if text_problem(key) else f"{path}.{key}" if path else key
                yield where, key
                stack.append((where, inner, depth + 1))
        elif isinstance(value, list):
            stack.extend((f"{path}.{index}" if path else str(index), inner, depth + 1)
                         for index, inner in enumerate(value))


def passes_body_through(view: F) -> F:
    """Mark a view that forwards the request body unread, so the body is not checked here."""
    view.passes_body_through = True  # type: ignore[attr-defined]
    return view


def oversize(environ: Mapping[str, Any]) -> tuple[int, str] | None:
    """Return (414 or 431, why) for a request whose target or headers are too long, else None."""
    target = environ.get("RAW_URI") or environ.get("REQUEST_URI")
    if target is None:
        query = environ.get("QUERY_STRING") or ""
        target = quote(environ.get("PATH_INFO") or "") + (f"?{query}" if query else "")
    if len(target) > MAX_URL_LENGTH:
        return 414, f"The request target is longer than {MAX_URL_LENGTH} characters."
    total = 0
    for key, value in environ.items():
        if key.startswith("HTTP_") or key in ("CONTENT_TYPE", "CONTENT_LENGTH"):
            size = len(value) if isinstance(value, str) else 0
            if size > MAX_HEADER_LENGTH:
                name = key.removeprefix("HTTP_").replace("_", "-").title()
                return 431, f"The header {name} is longer than {MAX_HEADER_LENGTH} characters."
            total += len(key) + size
    if total > MAX_HEADERS_SIZE:
        return 431, f"The request headers take more than {MAX_HEADERS_SIZE} bytes."
    return None
