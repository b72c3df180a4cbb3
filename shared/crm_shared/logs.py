"""Structured JSON logs on stderr, one object per line."""
from __future__ import annotations

import contextlib
import contextvars
import json
import logging
import os
import sys
from datetime import datetime, timezone
from typing import Any, Iterator

from opentelemetry import trace

_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime"}

#: fields every log line of the current task carries, e.g. the event id and correlation id a consumer handles
_context: contextvars.ContextVar[dict[str, Any]] = contextvars.ContextVar("crm_log_context", default={})


@contextlib.contextmanager
def context(**fields: Any) -> Iterator[None]:
    """Add `fields` to every log line written inside the block (in this thread or task)."""
    token = _context.set({**_context.get(), **fields})
    try:
        yield
    finally:
        _context.reset(token)


class JsonFormatter(logging.Formatter):
    """Format a record as one JSON object, with any `extra=` fields beside the message."""

    def __init__(self, service: str) -> None:
        super().__init__()
        self.service = service

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, timezone.utc).isoformat(),
            "level": record.levelname.lower(),
            "service": self.service,
            "logger": record.name,
            "message": record.getMessage(),
        }
        entry.update(_context.get())
        entry.update({key: value for key, value in vars(record).items() if key not in _STANDARD})
        span = trace.get_current_span().get_span_context()
        if span.is_valid:
            entry["trace_id"] = format(span.trace_id, "032x")
            entry["span_id"] = format(span.span_id, "016x")
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str, ensure_ascii=False)


def configure(service: str) -> None:
    """Send this process's logs as JSON lines to stderr at CRM_LOG_LEVEL (default INFO)."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter(service))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(os.environ.get("CRM_LOG_LEVEL", "INFO").upper())
