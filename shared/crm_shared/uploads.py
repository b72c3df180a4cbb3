"""Uploaded files (multipart, field `file`): the schema of the field, and the 413 of one too large.

A body past the limit is refused before it is parsed, but read (up to a bound) first, so the
client, or the gateway in between, reads the 413 instead of a reset connection.
"""
from __future__ import annotations

from typing import IO

from flask import request
from marshmallow import Schema, fields

from crm_shared.errors import PayloadTooLarge

#: what a multipart body may add around its one file: boundaries and part headers
MULTIPART_OVERHEAD = 64 * 1024
DRAIN_CHUNK = 64 * 1024
#: how much of an oversized body is read (and dropped) so the client, or the gateway, can read the 413
DRAIN_LIMIT = 256 * 1024 * 1024


class UploadSchema(Schema):
    """A multipart form with one file in the field `file`."""

    file = fields.Raw(required=True, metadata={"type": "string", "format": "binary"})


def too_large(max_bytes: int) -> PayloadTooLarge:
    """Return the 413 of a file larger than `max_bytes`."""
    return PayloadTooLarge(f"The file is larger than {max_bytes} bytes.")


def refuse_oversized_body(max_bytes: int) -> None:
    """Raise 413 (having drained the body) when the request declares more than a `max_bytes` file in a form."""
    if (request.content_length or 0) > max_bytes + MULTIPART_OVERHEAD:
        _drain()
        raise too_large(max_bytes)


def read_limited(stream: IO[bytes], max_bytes: int) -> bytes:
    """Return an uploaded file's bytes; 413 when it holds more than `max_bytes` (a body sent without a length)."""
    content = stream.read(max_bytes + 1)
    if len(content) > max_bytes:
        raise too_large(max_bytes)
    return content


def _drain() -> None:
    stream, read = request.stream, 0
    while read < DRAIN_LIMIT and (chunk := stream.read(DRAIN_CHUNK)):
        read += len(chunk)
