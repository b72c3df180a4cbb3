"""Attachments' bytes on a volume, content-addressed: `<dir>/<first two hex digits>/<sha256>`.

A file is written to a temporary name in the target folder and renamed into place, so a
reader never sees half a file and two uploads of the same bytes store it once.
"""
from __future__ import annotations

import hashlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

CHUNK = 64 * 1024


class TooLarge(Exception):
    """The upload is larger than the store accepts."""


@dataclass(frozen=True)
class Stored:
    sha256: str
    size: int
    head: bytes


class FileStore:
    """Content-addressed files under one directory."""

    def __init__(self, root: Path, max_bytes: int) -> None:
        self.root = root
        self.max_bytes = max_bytes

    def put(self, stream: BinaryIO) -> Stored:
        """Store a stream's bytes; TooLarge (and nothing kept) past the limit."""
        self.root.mkdir(parents=True, exist_ok=True)
        digest, size, head = hashlib.sha256(), 0, b""
        handle = tempfile.NamedTemporaryFile(dir=self.root, prefix=".upload-", delete=False)
        try:
            with handle:
                while chunk := stream.read(CHUNK):
                    size += len(chunk)
                    if size > self.max_bytes:
                        raise TooLarge(f"The file is larger than {self.max_bytes} bytes.")
                    head = head or chunk[:512]
                    digest.update(chunk)
                    handle.write(chunk)
            sha256 = digest.hexdigest()
            target = self.path(sha256)
            target.parent.mkdir(exist_ok=True)
            os.replace(handle.name, target)
        except BaseException:
            Path(handle.name).unlink(missing_ok=True)
            raise
        return Stored(sha256, size, head)

    def path(self, sha256: str) -> Path:
        """Return where the bytes of this digest live (a hex digest only: never a client's name)."""
        if len(sha256) != 64 or any(char not in "0123456789abcdef" for char in sha256):
            raise ValueError("not a SHA-256 hex digest")
        return self.root / sha256[:2] / sha256
