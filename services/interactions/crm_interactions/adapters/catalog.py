"""Templates, rules and attachment records with SQLAlchemy Core, in the caller's transaction."""
from __future__ import annotations

from contextlib import contextmanager
from datetime import datetime
from typing import Any, Callable, Generic, Iterator, TypeVar

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from crm_shared.rules import StateConflict

from crm_interactions.adapters.tables import attachments, interaction_rules, interaction_templates
from crm_interactions.domain.attachments import Attachment
from crm_interactions.domain.rules import Rule
from crm_interactions.domain.templates import Template

#: the types of a catalogue's cursor key: the creation time, then the id (oldest first)
CURSOR_TYPES = (datetime, str)

R = TypeVar("R")


def sort_key(record: Any) -> list[Any]:
    return [record.created_at.isoformat(), record.id]


class _Records(Generic[R]):
    """Records of one kind whole in their table's columns."""

    table: sa.Table
    build: Callable[..., R]

    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def get(self, record_id: str, *, for_update: bool = False) -> R | None:
        query = sa.select(self.table).where(self.table.c.id == record_id)
        row = self.connection.execute(query.with_for_update() if for_update else query).mappings().first()
        return type(self).build(**row) if row else None

    def add(self, record: R) -> None:
        self.connection.execute(self.table.insert(), _columns(self.table, record))

    def save(self, record: R, *_previous: Any) -> None:
        self.connection.execute(self.table.update().where(self.table.c.id == record.id),  # type: ignore[attr-defined]
                                _columns(self.table, record))

    def remove(self, record: R) -> None:
        self.connection.execute(self.table.delete().where(self.table.c.id == record.id))  # type: ignore[attr-defined]

    def list(self, *, limit: int, after: list[Any] | None = None) -> list[R]:
        """Return up to `limit` records after the key, oldest first."""
        table = self.table
        query = sa.select(table)
        if after is not None:
            bound = sa.tuple_(sa.literal(after[0], table.c.created_at.type), sa.literal(after[1]))
            query = query.where(sa.tuple_(table.c.created_at, table.c.id) > bound)
        query = query.order_by(table.c.created_at, table.c.id).limit(limit)
        return [type(self).build(**row) for row in self.connection.execute(query).mappings()]


@contextmanager
def _code_taken(code: str) -> Iterator[None]:
    """Answer a code another request took a moment ago (the unique index saw both) as the use case's 409."""
    try:
        yield
    except sa.exc.IntegrityError:
        raise StateConflict(f"Another template has the code {code}.", errors={"code": ["Already used."]}) from None


class TemplateRepository(_Records[Template]):
    table = interaction_templates
    build = Template

    def add(self, record: Template) -> None:
        with _code_taken(record.code):
            super().add(record)

    def save(self, record: Template, *_previous: Any) -> None:
        with _code_taken(record.code):
            super().save(record)

    def with_code(self, code: str) -> Template | None:
        row = self.connection.execute(sa.select(self.table).where(self.table.c.code == code)).mappings().first()
        return Template(**row) if row else None

    def uses_attachment(self, attachment_id: str) -> bool:
        query = sa.select(self.table.c.id).where(self.table.c.attachment_id == attachment_id).limit(1)
        return self.connection.execute(query).first() is not None


class RuleRepository(_Records[Rule]):
    table = interaction_rules
    build = Rule

    def enabled(self) -> list[Rule]:
        """Return the enabled rules (few: an installation's handful), oldest first."""
        query = sa.select(self.table).where(self.table.c.enabled.is_(True)).order_by(self.table.c.created_at,
                                                                                     self.table.c.id)
        return [Rule(**row) for row in self.connection.execute(query).mappings()]

    def uses_template(self, template_id: str) -> bool:
        query = sa.select(self.table.c.id).where(self.table.c.template_id == template_id).limit(1)
        return self.connection.execute(query).first() is not None


class AttachmentRepository(_Records[Attachment]):
    table = attachments
    build = Attachment


def _columns(table: sa.Table, record: Any) -> dict[str, Any]:
    return {column.name: getattr(record, column.name) for column in table.columns}
