"""Reading and writing audit entries with SQLAlchemy Core, inside the caller's transaction."""
from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any, Collection, Iterable, Iterator

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection

from crm_audit.adapters.tables import FILTER_COLUMNS, anonymized_subjects, audit_entries, audit_mentions, audit_sequence
from crm_audit.domain.entries import AuditEntry, EntryFilter
from crm_audit.domain.mentions import redact_mention
from crm_audit.domain.redaction import Anonymization, Subject, redact
from crm_shared.upsert import insert_missing
from crm_shared.types import UTCDateTime

#: the sort key of the list, newest first: (occurred_at, id)
SortKey = tuple[datetime, str]

_COLUMNS = [column.name for column in audit_entries.columns]
_LOCK_IN_ORDER = sa.text(
    "SELECT count(pg_advisory_xact_lock(k)) FROM (SELECT unnest(CAST(:keys AS bigint[])) AS k ORDER BY k) AS s"
)


def add_all(connection: Connection, entries: Iterable[AuditEntry]) -> None:
    """Insert entries with one executemany; an entry whose id is stored already stays as it is.

    Each gets the next insertion sequence numbers. Taking them locks the counter's row until
    commit, so a transaction that numbers later also commits later: a reader that saw sequence
    `n` committed will never find a smaller one appear afterwards. Call it last in the transaction
    (after other locks) to hold the counter briefly; numbers of ids already stored stay unused.
    """
    rows = [{name: getattr(entry, name) for name in _COLUMNS} for entry in entries]
    if not rows:
        return
    last = connection.execute(
        audit_sequence.update().where(audit_sequence.c.id == 1)
        .values(last=audit_sequence.c.last + len(rows)).returning(audit_sequence.c.last)
    ).scalar_one()
    for number, row in enumerate(rows, start=last - len(rows) + 1):
        row["seq"] = number
    dialect = postgresql if connection.dialect.name == "postgresql" else sqlite
    # No conflict target: the key is (id) on SQLite, (id, occurred_at) on the partitioned table;
    # a repeated event has the same id and time, so either key finds it.
    connection.execute(dialect.insert(audit_entries).on_conflict_do_nothing(), rows)


def lock_subjects(connection: Connection, subjects: Collection[Subject]) -> None:
    """Lock each subject until commit (PostgreSQL): its entries and its anonymization serialize."""
    # Without it, an entry of a subject and that subject's anonymization handled by two
    # consumers at once would each miss the other's uncommitted row, and the entry would
    # be stored unredacted. Keys are taken in sorted order so two batches never deadlock.
    # SQLite needs nothing: its writers are serialized already (BEGIN IMMEDIATE).
    if connection.dialect.name != "postgresql" or not subjects:
        return
    keys = sorted({_lock_key(subject) for subject in subjects})
    connection.execute(_LOCK_IN_ORDER, {"keys": keys})


def anonymizations(connection: Connection, subjects: Collection[Subject]) -> dict[Subject, Anonymization]:
    """Return the recorded anonymizations of the given subjects."""
    table = anonymized_subjects
    found: dict[Subject, Anonymization] = {}
    for object_type in {kind for kind, _ in subjects}:
        ids = sorted(object_id for kind, object_id in subjects if kind == object_type)
        query = sa.select(table).where(table.c.object_type == object_type, table.c.object_id.in_(ids))
        for row in connection.execute(query).mappings():
            found[(row["object_type"], row["object_id"])] = Anonymization(**row)
    return found


def record_anonymization(connection: Connection, anonymization: Anonymization) -> None:
    """Remember that a subject was anonymized; of several anonymizations the latest is kept."""
    table = anonymized_subjects
    dialect = postgresql if connection.dialect.name == "postgresql" else sqlite
    insert = dialect.insert(table).values(
        object_type=anonymization.object_type, object_id=anonymization.object_id,
        anonymized_at=anonymization.anonymized_at, event_id=anonymization.event_id,
    )
    connection.execute(insert.on_conflict_do_update(
        index_elements=["object_type", "object_id"],
        set_={"anonymized_at": insert.excluded.anonymized_at, "event_id": insert.excluded.event_id},
        where=insert.excluded.anonymized_at > table.c.anonymized_at,
    ))


def redact_history(connection: Connection, anonymization: Anonymization) -> int:
    """Redact the stored entries of an anonymized subject in place; return how many changed."""
    table = audit_entries
    query = sa.select(table).where(
        table.c.object_id == anonymization.object_id, table.c.object_type == anonymization.object_type
    )
    changed = 0
    for row in connection.execute(query).mappings().all():
        entry = _entry(row)
        redacted = redact(entry, anonymization)
        if redacted != entry:
            connection.execute(
                table.update().where(table.c.id == entry.id)
                .values(object_name=redacted.object_name, changes=redacted.changes)
            )
            changed += 1
    return changed


def add_mentions(connection: Connection, mentions: Iterable[tuple[Subject, AuditEntry]]) -> None:
    """Remember which other objects each entry names (an entry stored already keeps its rows)."""
    rows = [{"object_type": subject[0], "object_id": subject[1], "entry_id": entry.id,
             "occurred_at": entry.occurred_at} for subject, entry in mentions]
    if rows:
        insert_missing(connection, audit_mentions, rows)


def redact_mentions(connection: Connection, subject: Subject) -> int:
    """Redact, in place, what the stored entries of other objects say of an anonymized subject;
    return how many changed."""
    mentioned = sa.select(audit_mentions.c.entry_id).where(
        audit_mentions.c.object_type == subject[0], audit_mentions.c.object_id == subject[1])
    query = sa.select(audit_entries).where(audit_entries.c.id.in_(mentioned))
    changed = 0
    for row in connection.execute(query).mappings().all():
        entry = _entry(row)
        redacted = redact_mention(entry, subject)
        if redacted != entry:
            connection.execute(audit_entries.update().where(audit_entries.c.id == entry.id)
                               .values(changes=redacted.changes))
            changed += 1
    return changed


def get(connection: Connection, entry_id: str) -> AuditEntry | None:
    """Return one entry by its id (the event id), or None."""
    row = connection.execute(sa.select(audit_entries).where(audit_entries.c.id == entry_id)).first()
    return _entry(row._mapping) if row else None


def page(
    connection: Connection, where: EntryFilter, *, after: SortKey | None, limit: int
) -> list[AuditEntry]:
    """Return up to `limit` entries newest first, starting after the sort key of the previous page."""
    return [_entry(row) for row in connection.execute(page_query(where, after=after, limit=limit)).mappings()]


def page_query(where: EntryFilter, *, after: SortKey | None, limit: int) -> sa.Select[Any]:
    """Return the query of one page: the filters, the keyset bound, newest first, `limit` rows."""
    statement = _select(where).limit(limit)
    if after is not None:
        # A row-value comparison is one index range condition; spelled as
        # "t < x OR (t = x AND id < y)" the planners would not use the index as well.
        key = sa.tuple_(sa.literal(after[0], UTCDateTime()), sa.literal(after[1], sa.String()))
        statement = statement.where(sa.tuple_(audit_entries.c.occurred_at, audit_entries.c.id) < key)
        # implied by the row comparison, but only a plain bound lets PostgreSQL skip later months
        statement = statement.where(audit_entries.c.occurred_at <= sa.literal(after[0], UTCDateTime()))
    return statement


def stream(connection: Connection, where: EntryFilter, *, chunk: int = 1000) -> Iterator[AuditEntry]:
    """Yield every matching entry newest first, fetched `chunk` rows at a time (server-side cursor)."""
    result = connection.execution_options(yield_per=chunk).execute(_select(where))
    try:
        for row in result.mappings():
            yield _entry(row)
    finally:
        result.close()


def after(connection: Connection, seq: int, where: EntryFilter | None, *, limit: int,
          upto: int | None = None) -> list[AuditEntry]:
    """Return up to `limit` entries stored after sequence `seq` (and at most `upto`), oldest first."""
    table = audit_entries
    statement = sa.select(table).where(table.c.seq > seq).order_by(table.c.seq).limit(limit)
    if upto is not None:
        statement = statement.where(table.c.seq <= upto)
    if where is not None:
        statement = _filtered(statement, where)
    return [_entry(row) for row in connection.execute(statement).mappings()]


def last_seq(connection: Connection) -> int:
    """Return the last sequence number committed (0 for an empty log)."""
    return int(connection.execute(sa.select(sa.func.coalesce(sa.func.max(audit_entries.c.seq), 0))).scalar_one())


def sort_key(entry: AuditEntry) -> SortKey:
    """Return the entry's position in the newest-first order."""
    return (entry.occurred_at, entry.id)


def _select(where: EntryFilter) -> sa.Select[Any]:
    table = audit_entries
    return _filtered(sa.select(table).order_by(table.c.occurred_at.desc(), table.c.id.desc()), where)


def _filtered(statement: sa.Select[Any], where: EntryFilter) -> sa.Select[Any]:
    table = audit_entries
    if where.occurred_from is not None:
        statement = statement.where(table.c.occurred_at >= where.occurred_from)
    if where.occurred_to is not None:
        statement = statement.where(table.c.occurred_at < where.occurred_to)
    for name in FILTER_COLUMNS:
        value = getattr(where, name)
        if value is not None:
            statement = statement.where(table.c[name] == value)
    return statement


def _lock_key(subject: Subject) -> int:
    digest = hashlib.blake2b(f"crm-audit-subject:{subject[0]}:{subject[1]}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def _entry(row: Any) -> AuditEntry:
    return AuditEntry(**{name: row[name] for name in _COLUMNS})
