"""Attachments (INT-6): what an uploaded file's name and content type may be, and how it is served.

A file is stored under the SHA-256 of its bytes, never under a name a client chose; the name
is kept only to offer it back in `Content-Disposition`. Types a browser would run or render
as a page (HTML, SVG, scripts, XML) are kept and served as `application/octet-stream`, and
so is anything whose first bytes look like HTML, whatever type it was declared with.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from crm_shared.rules import broken

SAFE_FALLBACK = "application/octet-stream"
MAX_FILENAME = 200
#: media types a browser runs or renders as a document
ACTIVE_TYPES = frozenset({
    "text/html", "application/xhtml+xml", "image/svg+xml", "application/javascript", "text/javascript",
    "application/ecmascript", "text/ecmascript", "application/xml", "text/xml", "text/xsl", "application/x-httpd-php",
    "multipart/x-mixed-replace", "text/vtt",
})
_MEDIA_TYPE = re.compile(r"^[a-z0-9][a-z0-9!#$&^_.+-]{0,63}/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}$")
_HTML_STARTS = (b"<!doctype", b"<html", b"<script", b"<svg", b"<?xml", b"<head", b"<body", b"<iframe")


@dataclass(frozen=True)
class Attachment:
    """An uploaded file's record: the bytes live in the store under `sha256`."""

    id: str
    sha256: str
    filename: str
    content_type: str
    size: int
    created_at: datetime
    created_by: str

    @property
    def link(self) -> str:
        return f"/api/v1/attachments/{self.id}"

    def state(self) -> dict[str, Any]:
        return {"id": self.id, "filename": self.filename, "content_type": self.content_type, "size": self.size,
                "sha256": self.sha256, "created_at": self.created_at.isoformat(), "created_by": self.created_by}


def safe_filename(raw: str | None) -> str:
    """Return the name an upload is offered back under: its last path part, refused if hostile or empty."""
    name = (raw or "").replace("\\", "/").rsplit("/", 1)[-1].strip()
    if any(unicodedata.category(char) in ("Cc", "Cf", "Cs", "Zl", "Zp") for char in name):
        raise broken("file", "The file name holds control characters.")
    if name in ("", ".", ".."):
        raise broken("file", "The file needs a name.")
    if len(name) > MAX_FILENAME:
        raise broken("file", f"The file name is longer than {MAX_FILENAME} characters.")
    return name


def safe_content_type(declared: str | None, head: bytes) -> str:
    """Return the type a file is served with: the declared one unless it is active, malformed or the bytes
    look like a page."""
    media_type = (declared or "").split(";", 1)[0].strip().lower()
    if not media_type or not _MEDIA_TYPE.match(media_type) or media_type in ACTIVE_TYPES:
        return SAFE_FALLBACK
    if head.lstrip()[:16].lower().startswith(_HTML_STARTS):
        return SAFE_FALLBACK
    return media_type
