"""Line 7: the audit log at 10 million entries — list pages per filter combination, and exports.

The log is built once, with fast SQL (generate_series into the partitioned table with the list's
indexes dropped, then the indexes built and ANALYZE), in the database `bench_audit_<rows>`, which
later runs reuse when it holds what they asked for (`DROP DATABASE` it to build it again).
"""
from __future__ import annotations

import itertools
import json
import subprocess
import sys
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

import sqlalchemy as sa

from crm_audit.__main__ import MIGRATIONS
from crm_audit.adapters import partitions, repository, tables
from crm_audit.domain.entries import EntryFilter
from crm_audit.domain.retention import add_months, month_start
from crm_audit.queries import AuditQueries
from crm_shared import db, migrations
from crm_shared.testing import servers

from bench.stats import percentile

STEP_SECONDS = 5
#: one value of each filter, as the generated rows hold them
VALUES = {"user_id": "u-3", "operation": "updated", "object_type": "person", "object_id": "o-12"}
DEEP_PAGE, PAGE = 1000, 50
FILL = """
INSERT INTO audit_entries (id, occurred_at, user_id, user_name, channel, object_type, object_id, object_name,
    object_link, operation, changes, correlation_id, source, recorded_at, seq)
SELECT md5(n::text)::uuid::text, :start + n * interval '5 seconds', 'u-' || (n % 97), 'User ' || (n % 97), 'api',
    (ARRAY['person','company','deal','task','interaction'])[(n % 200000) % 5 + 1], 'o-' || (n % 200000),
    'Jana Nováková', '/api/v1/persons/o-' || (n % 200000),
    (ARRAY['created','updated','updated','updated','deleted','merged','anonymized'])[n % 7 + 1],
    '[{"field": "phones", "before": ["+420 111 222 333"], "after": ["+420 777 888 999"]}]',
    'req-1', '/crm/contacts', now(), n
FROM generate_series(:first, :last) AS n
"""


@dataclass
class Timing:
    """A query's latencies over repeated runs, in milliseconds."""

    samples: list[float] = field(default_factory=list)

    @property
    def p50(self) -> float:
        return percentile(self.samples, 0.50)

    @property
    def p99(self) -> float:
        return percentile(self.samples, 0.99)


@dataclass
class AuditScaleResults:
    """Line 7's figures: pages per filter combination, the bare query, the exports."""

    rows: int
    pages: dict[str, tuple[Timing, Timing]]
    bare: tuple[Timing, Timing]
    exports: dict[str, dict[str, float]]


def combinations() -> list[tuple[str, ...]]:
    """The list's filter combinations: user, object type, operation, and an object with its type."""
    plain = [c for n in range(4) for c in itertools.combinations(("user_id", "object_type", "operation"), n)]
    objects = [("object_type", "object_id", *c) for n in range(3) for c in itertools.combinations(("user_id", "operation"), n)]
    return plain + objects


def log_database(rows: int) -> str:
    """Return the URL of the bench's audit log of `rows` entries, building it if it is not there yet."""
    url = f"{servers.POSTGRES_URL.rsplit('/', 1)[0]}/bench_audit_{rows}"
    db.ensure_database(url)
    engine = db.create_engine(url)
    try:
        with engine.connect() as connection:
            if sa.inspect(connection).has_table("bench_log") and connection.execute(
                    sa.text("SELECT rows FROM bench_log")).scalar() == rows:
                say(f"7 reusing the audit log of {rows:,} entries in {url.rsplit('/', 1)[1]}")
                return url
    finally:
        engine.dispose()
    # absent, or left half-built by an interrupted run: start from an empty database
    db.drop_database(url)
    db.ensure_database(url)
    engine = db.create_engine(url)
    try:
        _build(url, engine, rows)
    finally:
        engine.dispose()
    return url


def _build(url: str, engine: sa.Engine, rows: int) -> None:
    say(f"7 building an audit log of {rows:,} entries (once; later runs reuse it)")
    migrations.upgrade(url, MIGRATIONS, "audit")
    start = _start(rows)
    indexes = [index for index in tables.audit_entries.indexes]
    with engine.begin() as connection:
        partitions.create_months(connection, start, add_months(month_start(start), 1 + rows * STEP_SECONDS // 2_500_000))
        for index in indexes:
            connection.execute(sa.text(f"DROP INDEX IF EXISTS {index.name}"))
    for first in range(1, rows + 1, 1_000_000):
        with engine.begin() as connection:
            connection.execute(sa.text(FILL), {"start": start, "first": first, "last": min(rows, first + 999_999)})
        say(f"7 … {min(rows, first + 999_999):,} entries")
    with engine.begin() as connection:
        for index in indexes:
            index.create(connection)
        connection.execute(sa.text("CREATE TABLE bench_log (rows bigint)"))
        connection.execute(sa.text("INSERT INTO bench_log VALUES (:rows)"), {"rows": rows})
    with engine.connect() as connection:
        connection.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql("VACUUM ANALYZE audit_entries")


def say(message: str) -> None:
    """Tell the person waiting what line 7 is doing (bench.run imports this module, hence no import of it here)."""
    from bench.run import say as tell

    tell(message)


def _start(rows: int) -> datetime:
    # the log ends at the start of the current month, so its months lie before it
    return month_start(datetime.now(timezone.utc)) - timedelta(seconds=rows * STEP_SECONDS)


def measure_audit_scale(rows: int, export_rows: int, repeats: int = 30) -> AuditScaleResults:
    """Time each combination's first page and page 1,000, the bare query, and the exports."""
    url = log_database(rows)
    engine = db.create_engine(url, read_only=True)
    try:
        queries = AuditQueries(engine)
        pages = {"+".join(names) or "no filter": _pages(engine, queries, names, repeats) for names in combinations()}
        bare = _bare(engine, repeats)
    finally:
        engine.dispose()
    end = month_start(datetime.now(timezone.utc))
    span = (end - timedelta(seconds=export_rows * STEP_SECONDS), end)
    return AuditScaleResults(rows, pages, bare, _exports(url, span, export_rows))


def _pages(engine: sa.Engine, queries: AuditQueries, names: tuple[str, ...], repeats: int) -> tuple[Timing, Timing]:
    where = EntryFilter(**{name: VALUES[name] for name in names})
    deep = _key_at(engine, where, DEEP_PAGE * PAGE)
    first, deeper = Timing(), Timing()
    for _ in range(repeats):
        first.samples.append(_timed(lambda: queries.page(where, limit=PAGE, cursor=None)))
        deeper.samples.append(_timed(lambda: _page_after(engine, where, deep)))
    return first, deeper


def _key_at(engine: sa.Engine, where: EntryFilter, depth: int) -> tuple[datetime, str]:
    """The sort key `depth` entries down the filtered list (or its last, for a short history)."""
    table = tables.audit_entries
    query = repository.page_query(where, after=None, limit=depth).with_only_columns(table.c.occurred_at, table.c.id)
    with engine.connect() as connection:
        keys = connection.execute(query).all()
    key = keys[-1] if keys else (datetime.now(timezone.utc), "")
    return key[0], key[1]


def _page_after(engine: sa.Engine, where: EntryFilter, key: tuple[datetime, str]) -> None:
    with engine.connect() as connection:
        connection.execute(repository.page_query(where, after=key, limit=PAGE + 1)).all()


def _bare(engine: sa.Engine, repeats: int) -> tuple[Timing, Timing]:
    """The same page as the plainest indexed query: time order only, one psycopg cursor, no mapping."""
    deep = _key_at(engine, EntryFilter(), DEEP_PAGE * PAGE)
    first, deeper = Timing(), Timing()
    sql = "SELECT * FROM audit_entries WHERE occurred_at < %s ORDER BY occurred_at DESC LIMIT 51"
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        for _ in range(repeats):
            first.samples.append(_timed(lambda: cursor.execute(sql, (datetime.now(timezone.utc),)).fetchall()))
            deeper.samples.append(_timed(lambda: cursor.execute(sql, (deep[0],)).fetchall()))
    finally:
        raw.close()
    return first, deeper


def _timed(action: object) -> float:
    began = time.perf_counter()
    action()  # type: ignore[operator]
    return (time.perf_counter() - began) * 1000


EXPORT_SCRIPT = """
import json, sys, time
from datetime import datetime
from crm_audit.domain.entries import EntryFilter
from crm_audit.queries import AuditQueries
from crm_shared import db
url, file_format, start, end = sys.argv[1:5]
queries = AuditQueries(db.create_engine(url, read_only=True))
began = time.perf_counter(); first = None; size = 0
for chunk in queries.export(EntryFilter(occurred_from=datetime.fromisoformat(start),
                                        occurred_to=datetime.fromisoformat(end)), file_format).chunks:
    first = first or time.perf_counter() - began
    size += len(chunk)
peak = next(line for line in open("/proc/self/status") if line.startswith("VmHWM:"))
print(json.dumps({"seconds": time.perf_counter() - began, "first_byte": first, "bytes": size,
                  "rss_mb": int(peak.split()[1]) / 1024}))
"""

BARE_SCRIPT = """
import csv, json, os, sys, tempfile, time
from datetime import datetime, timezone
import xlsxwriter
kind, count = sys.argv[1], int(sys.argv[2])
when = datetime(2026, 1, 1)
row = (when, "User 3", "person", "Jana Nováková", "/api/v1/persons/o-1", "updated", "phones",
       "+420 111 222 333", "+420 777 888 999")
began = time.perf_counter()
if kind == "csv":
    writer = csv.writer(open(os.devnull, "w"))
    for _ in range(count):
        writer.writerow(row)
else:
    book = xlsxwriter.Workbook(tempfile.TemporaryFile(), {"constant_memory": True, "strings_to_formulas": False})
    sheet = book.add_worksheet(); moment = book.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"})
    for line in range(1, count + 1):
        sheet.write_datetime(line, 0, when, moment)
        for column in range(1, 9):
            sheet.write_string(line, column, row[column])
    book.close()
peak = next(line for line in open("/proc/self/status") if line.startswith("VmHWM:"))
print(json.dumps({"seconds": time.perf_counter() - began, "rss_mb": int(peak.split()[1]) / 1024}))
"""


def _exports(url: str, span: tuple[datetime, datetime], rows: int) -> dict[str, dict[str, float]]:
    """Export `rows` entries (one row each) as csv and xlsx in child processes, and the bare writers."""
    results = {}
    for file_format in ("csv", "xlsx"):
        say(f"7 exporting {rows:,} entries as {file_format}")
        results[file_format] = _child(EXPORT_SCRIPT, url, file_format, span[0].isoformat(), span[1].isoformat())
        results[f"bare {file_format}"] = _child(BARE_SCRIPT, file_format, str(rows))
    for figures in results.values():
        figures["rows_per_second"] = rows / figures["seconds"]
    return results


def _child(script: str, *args: str) -> dict[str, float]:
    out = subprocess.run([sys.executable, "-c", script, *args], capture_output=True, text=True, check=True,
                         timeout=1800).stdout
    return json.loads(out)
