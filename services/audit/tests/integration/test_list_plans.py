"""On PostgreSQL every filter combination of the list, first page and deep page, is an index range scan.

A log of 100,000 synthetic entries over five months (made by generate_series, then ANALYZE)
stands in for ten million: the plans PostgreSQL picks for it are the ones a large log gets.
Each plan must read the partitions in list order from indexes — no Seq Scan, no Sort, few rows
filtered away — and a date range must leave the months outside it unread. Only the nodes that
touched rows count: the empty months ahead are rightly seq-scanned (they hold nothing), and
branches the LIMIT never reaches cost nothing.
"""
from __future__ import annotations

import itertools
from datetime import datetime, timedelta, timezone
from typing import Any, Iterator

import pytest
import sqlalchemy as sa

from crm_audit.__main__ import MIGRATIONS
from crm_audit.adapters import partitions, repository, tables
from crm_audit.domain.entries import EntryFilter
from crm_audit.domain.retention import add_months, month_start
from crm_shared import db, migrations

ENTRIES = 100_000
START = datetime(2026, 3, 1, tzinfo=timezone.utc)
STEP = timedelta(seconds=120)  # 100,000 times two minutes: March to July
DEEP = START + ENTRIES // 2 * STEP  # the middle of the log: a thousand pages of 50 and more for most filters
RANGE = (datetime(2026, 4, 10, tzinfo=timezone.utc), datetime(2026, 5, 20, tzinfo=timezone.utc))
#: one value of each filter, as the generated rows hold them
VALUES = {"user_id": "u-3", "operation": "updated", "object_type": "person", "object_id": "o-12"}
#: a filter reads at most this many rows it then throws away (an object's history is ~10 entries)
MOST_FILTERED = 200

FILL = """
INSERT INTO audit_entries (id, occurred_at, user_id, user_name, channel, object_type, object_id,
    object_name, object_link, operation, changes, correlation_id, source, recorded_at, seq)
SELECT md5(n::text)::uuid::text, :start + n * interval '60 seconds', 'u-' || (n % 23), 'User', 'api',
    (ARRAY['person','company','deal','task','interaction'])[(n % 20000) % 5 + 1], 'o-' || (n % 20000),
    'Name', '/x', (ARRAY['created','updated','updated','updated','deleted','merged','anonymized'])[n % 7 + 1],
    '[]', 'r', '/crm/contacts', now(), n
FROM generate_series(1, :count) AS n
"""


@pytest.fixture(scope="module")
def big_log(request: pytest.FixtureRequest) -> Iterator[sa.Engine]:
    """A migrated PostgreSQL audit store holding the synthetic log, analyzed."""
    url = request.getfixturevalue("postgres_module_url")
    migrations.upgrade(url, MIGRATIONS, "audit")
    engine = db.create_engine(url)
    with engine.begin() as connection:
        partitions.create_months(connection, START, add_months(START, 5))
        # filled without the list's indexes, which are then built in one pass each: several times faster
        for index in tables.audit_entries.indexes:
            connection.execute(sa.text(f"DROP INDEX {index.name}"))
        connection.execute(sa.text(FILL), {"start": START, "count": ENTRIES})
        for index in tables.audit_entries.indexes:
            index.create(connection)
    with engine.connect() as connection:
        connection.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql("ANALYZE audit_entries")
    yield engine
    engine.dispose()


def combinations() -> list[tuple[str, ...]]:
    """Every combination of user, object type and operation, and each with an object (which names its type)."""
    plain = [combo for size in range(4) for combo in itertools.combinations(("user_id", "object_type", "operation"), size)]
    objects = [("object_type", "object_id", *combo)
               for size in range(3) for combo in itertools.combinations(("user_id", "operation"), size)]
    return [*plain, *objects, ("object_id",)]


CASES = [
    pytest.param(names, ranged, deep, id=f"{'+'.join(names) or 'none'}{'+range' if ranged else ''}-"
                                         f"{'deep' if deep else 'first'}")
    for names in combinations() for ranged in (False, True) for deep in (False, True)
]


@pytest.mark.parametrize(("names", "ranged", "deep"), CASES)
def test_each_filter_combination_pages_by_index_range_scans(
        big_log: sa.Engine, names: tuple[str, ...], ranged: bool, deep: bool) -> None:
    where = EntryFilter(occurred_from=RANGE[0] if ranged else None, occurred_to=RANGE[1] if ranged else None,
                        **{name: VALUES[name] for name in names})
    after = ((min(DEEP, RANGE[1]) if ranged else DEEP), "f" * 36) if deep else None

    plan = _explain(big_log, repository.page_query(where, after=after, limit=51))

    # What touched rows: PostgreSQL rightly seq-scans the empty months ahead, and skips what LIMIT never reaches.
    nodes = [node for node in _nodes(plan) if node.get("Actual Rows") or node.get("Rows Removed by Filter")]
    kinds = {node["Node Type"] for node in nodes}
    assert "Seq Scan" not in kinds, _summary(nodes)
    if "object_id" in names:
        # An object's history is short: PostgreSQL may fetch it from the object's index with a
        # bitmap and sort those few rows, which costs less than walking the index in order.
        assert all(node["Actual Rows"] <= MOST_FILTERED for node in nodes if node["Node Type"] == "Sort")
    else:
        assert not kinds & {"Sort", "Incremental Sort", "Bitmap Heap Scan"}, _summary(nodes)
    assert sum(node.get("Rows Removed by Filter", 0) for node in nodes) <= MOST_FILTERED, _summary(nodes)
    if ranged:
        read = {node["Relation Name"] for node in nodes if "Relation Name" in node}
        assert read <= _months_of(RANGE), read


def _explain(engine: sa.Engine, statement: sa.Select[Any]) -> dict[str, Any]:
    with engine.connect() as connection:
        sql = statement.compile(dialect=connection.dialect, compile_kwargs={"literal_binds": True}).string
        row = connection.exec_driver_sql("EXPLAIN (ANALYZE, FORMAT JSON) " + sql.replace("%", "%%")).scalar_one()
    return row[0]["Plan"]


def _summary(nodes: list[dict[str, Any]]) -> list[tuple[str, ...]]:
    return [(node["Node Type"], node.get("Relation Name", ""), node.get("Index Name", ""),
             str(node.get("Rows Removed by Filter", ""))) for node in nodes]


def _nodes(plan: dict[str, Any]) -> Iterator[dict[str, Any]]:
    yield plan
    for child in plan.get("Plans", []):
        yield from _nodes(child)


def _months_of(span: tuple[datetime, datetime]) -> set[str]:
    names, month = set(), month_start(span[0])
    while month < span[1]:
        names.add(partitions.partition_name(month))
        month = add_months(month, 1)
    return names
