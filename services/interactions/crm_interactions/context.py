"""What the interactions views reach besides the kit's context: the attachments' file store."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from crm_shared.config import Settings
from crm_shared.service_app import ServiceContext

from crm_interactions.adapters.file_store import FileStore

#: the largest attachment by default (CRM_INTERACTIONS_MAX_ATTACHMENT_BYTES overrides it)
DEFAULT_MAX_BYTES = 10 * 1024 * 1024


def attachments_dir(settings: Settings) -> Path:
    """Return where attachments live: CRM_INTERACTIONS_ATTACHMENTS_DIR, or `attachments` in the data folder."""
    explicit = settings.extra.get("CRM_INTERACTIONS_ATTACHMENTS_DIR")
    return Path(explicit).resolve() if explicit else settings.data_dir / "attachments"


def max_attachment_bytes(settings: Settings) -> int:
    return int(settings.extra.get("CRM_INTERACTIONS_MAX_ATTACHMENT_BYTES") or DEFAULT_MAX_BYTES)


@dataclass(frozen=True)
class InteractionsContext(ServiceContext):
    """The kit's context and the attachments' store."""

    @property
    def files(self) -> FileStore:
        return FileStore(attachments_dir(self.settings), max_attachment_bytes(self.settings))
