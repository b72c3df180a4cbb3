"""gunicorn's workers, answering what gunicorn itself refuses as problem+json instead of HTML.

The app's own limits (`crm_shared.web`) answer over-long targets and headers, NUL bytes and the
like; gunicorn's limits sit above them, but a request past those (a request line beyond what
gunicorn reads, too many header fields, a malformed request line or chunk) never reaches the
app. These workers answer such a request like the app would: `application/problem+json`.
"""
from __future__ import annotations

import json
from typing import Any

from gunicorn.http import errors
from gunicorn.util import write_nonblock
from gunicorn.workers.gthread import ThreadWorker
from gunicorn.workers.sync import SyncWorker

#: gunicorn's refusals of a client's request, by status; anything else it catches is a 500
_STATUSES: tuple[tuple[type[BaseException] | tuple[type[BaseException], ...], int, str], ...] = (
    (errors.LimitRequestLine, 414, "URI Too Long"),
    (errors.LimitRequestHeaders, 431, "Request Header Fields Too Large"),
    (errors.UnsupportedTransferCoding, 501, "Not Implemented"),
    (errors.ExpectationFailed, 417, "Expectation Failed"),
    (errors.ForbiddenProxyRequest, 403, "Forbidden"),
    (errors.ParseException, 400, "Bad Request"),
)


def problem_of(exc: BaseException) -> tuple[int, str, str]:
    """Return the status, title and detail gunicorn's refusal of a request is answered with."""
    if isinstance(exc, (errors.InvalidResponseHeader, errors.InvalidResponseHeaderName, errors.ConfigurationProblem)):
        return 500, "Internal Server Error", "An unexpected error occurred."
    for kinds, status, title in _STATUSES:
        if isinstance(exc, kinds):
            return status, title, f"The request cannot be read: {exc}"[:500]
    return 500, "Internal Server Error", "An unexpected error occurred."


def problem_bytes(status: int, title: str, detail: str) -> bytes:
    """Return a whole HTTP/1.1 answer carrying one problem+json body; the connection closes."""
    body = json.dumps({"type": "about:blank", "title": title, "status": status, "detail": detail}).encode()
    head = (f"HTTP/1.1 {status} {title}\r\nConnection: close\r\nContent-Type: application/problem+json\r\n"
            f"Content-Length: {len(body)}\r\n\r\n").encode("latin-1")
    return head + body


class _ProblemAnswers:
    log: Any

    def handle_error(self, req: Any, client: Any, addr: Any, exc: BaseException) -> None:
        status, title, detail = problem_of(exc)
        if status >= 500:
            self.log.exception("Error handling request")
        else:
            self.log.warning("Invalid request from ip=%s: %s", (addr or ("", -1))[0], exc)
        try:
            write_nonblock(client, problem_bytes(status, title, detail))
        except Exception:  # the client went away: nothing more to tell it
            self.log.debug("Failed to send error message.")


class ProblemThreadWorker(_ProblemAnswers, ThreadWorker):
    """gunicorn's gthread worker, its refusals answered as problem+json."""


class ProblemSyncWorker(_ProblemAnswers, SyncWorker):
    """gunicorn's sync worker, its refusals answered as problem+json."""

