"""Uploading and reading attachments (INT-6): bytes in the content-addressed store, records in the database."""
from __future__ import annotations

import uuid
from pathlib import Path
from typing import BinaryIO

from crm_shared.errors import NotFound, PayloadTooLarge
from crm_shared.types import utcnow

from crm_interactions.adapters.file_store import FileStore, TooLarge
from crm_interactions.domain.attachments import Attachment, safe_content_type, safe_filename
from crm_interactions.domain.events import attachment_added
from crm_interactions.service_layer.access import can_read_attachment
from crm_interactions.service_layer.unit_of_work import InteractionsUnitOfWork


def upload(uow: InteractionsUnitOfWork, store: FileStore, stream: BinaryIO, filename: str | None,
           content_type: str | None) -> Attachment:
    """Store an uploaded file and record it; past the size limit a 413 and nothing kept."""
    name = safe_filename(filename)
    try:
        stored = store.put(stream)
    except TooLarge as exc:
        raise PayloadTooLarge(str(exc)) from None
    with uow:
        attachment = Attachment(id=str(uuid.uuid4()), sha256=stored.sha256, filename=name,
                                content_type=safe_content_type(content_type, stored.head), size=stored.size,
                                created_at=utcnow(), created_by=uow.actor.id)
        uow.attachments.add(attachment)
        uow.emit(attachment_added(attachment))
        uow.commit()
    return attachment


def readable(uow: InteractionsUnitOfWork, store: FileStore, attachment_id: str) -> tuple[Attachment, Path]:
    """Return an attachment the caller may read and where its bytes are; any other is missing."""
    with uow.reading():
        attachment = uow.attachments.get(attachment_id) if can_read_attachment(uow, attachment_id) else None
    if attachment is None or not store.path(attachment.sha256).is_file():
        raise NotFound(f"No attachment with id {attachment_id}.")
    return attachment, store.path(attachment.sha256)
