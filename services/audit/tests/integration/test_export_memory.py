"""Exports stream in constant memory: 100,000 entries must not grow a process by their size."""
from __future__ import annotations

import json
import subprocess
import sys
import uuid
from datetime import datetime, timedelta, timezone

import pytest

from crm_audit.__main__ import MIGRATIONS
from crm_audit.adapters.tables import audit_entries
from crm_shared import db, migrations

ENTRIES = 100_000
#: what the process may grow by; holding the rows would take several times this
LIMIT_MB = 50

# Runs in a fresh interpreter so that the peak RSS belongs to the export alone. A small
# export first loads every module and warms every cache; its peak is the baseline.
EXPORT_SCRIPT = """
import json, resource, sys
from crm_audit.domain.entries import EntryFilter
from crm_audit.queries import AuditQueries
from crm_shared import db

url, file_format = sys.argv[1], sys.argv[2]
queries = AuditQueries(db.create_engine(url, read_only=True))  # as the app reads it
def run(where):
    size = lines = 0
    for chunk in queries.export(where, file_format).chunks:
        size += len(chunk)
        lines += chunk.count(b"\\n")
    return size, lines
run(EntryFilter(object_id="p-1"))
baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
size, lines = run(EntryFilter())
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"growth_mb": (peak - baseline) / 1024, "size": size, "lines": lines}))
"""


@pytest.fixture(scope="module")
def big_log(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A SQLite audit store with 100,000 entries of one changed field each."""
    url = f"sqlite:///{tmp_path_factory.mktemp('big')}/audit.sqlite3"
    migrations.upgrade(url, MIGRATIONS, "audit")
    engine = db.create_engine(url)
    start = datetime(2026, 1, 1, tzinfo=timezone.utc)
    with engine.begin() as connection:
        for first in range(0, ENTRIES, 10_000):
            connection.execute(audit_entries.insert(), [_row(n, start) for n in range(first, first + 10_000)])
    engine.dispose()
    return url


def _row(n: int, start: datetime) -> dict[str, object]:
    return {
        "id": str(uuid.uuid4()), "occurred_at": start + timedelta(seconds=n), "user_id": "u-1",
        "user_name": "Eva Admin", "channel": "api", "object_type": "person", "object_id": f"p-{n % 5000}",
        "object_name": f"Jana Nováková {n}", "object_link": f"/api/v1/persons/p-{n}", "operation": "updated",
        "changes": [{"field": "phones", "before": ["+420 111 222 333"], "after": [f"+420 777 {n:06d}"]}],
        "correlation_id": "req-1", "source": "/crm/contacts", "recorded_at": start, "seq": n + 1,
    }


def test_csv_and_xlsx_exports_of_100000_entries_run_in_constant_memory(big_log: str) -> None:
    # both formats at once, one process each: the slow part is xlsxwriter's pure-Python XML
    children = {
        file_format: subprocess.Popen(
            [sys.executable, "-c", EXPORT_SCRIPT, big_log, file_format], stdout=subprocess.PIPE, text=True
        )
        for file_format in ("csv", "xlsx")
    }
    results = {}
    for file_format, child in children.items():
        out, _ = child.communicate(timeout=300)
        assert child.returncode == 0
        results[file_format] = json.loads(out)

    assert results["csv"]["lines"] == ENTRIES + 1
    assert results["xlsx"]["size"] > 1_000_000
    for file_format, result in results.items():
        assert result["growth_mb"] < LIMIT_MB, (file_format, result)
