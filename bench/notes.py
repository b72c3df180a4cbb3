"""The prose around the table: the header, and a note per measurement on how it was taken."""
from __future__ import annotations

import textwrap
from datetime import datetime

from bench import machine
from bench.audit_scale import AuditScaleResults
from bench.ingest import IngestResults
from bench.lag import LagResult
from bench.publishing import PublishResults
from bench.pushes import PushResults
from bench.stats import Latencies
from bench.writes import WriteResults
from bench.wrk import LoadSettings


def header(others: float, load: LoadSettings, seconds: float) -> str:
    """Return the lines above the table: when, on what, under which load."""
    cores = machine.cores()
    return (f"CRM suite benchmark: one run, {datetime.now():%Y-%m-%d %H:%M}, {seconds:.0f} s in all\n"
            f"machine: {cores} cores, shared by the services, PostgreSQL, RabbitMQ and the load generators "
            f"(all on loopback);\n  other programs took at least {others:.0%} of the CPU during the run "
            "(more than a few % skews every figure: then trust the ratios, not the absolute figures)\n"
            f"HTTP: {load.describe()}; gunicorn as `serve` runs it: {cores} workers (= cores) x 4 threads")


def writes_note(writes: WriteResults) -> str:
    """Say how lines 1-2 were loaded, what failed, and how the workers shared the work."""
    errors = ", ".join(f"{name} {loaded.http.errors}" for name, loaded in writes.loads().items())
    failed = f" The deal write failed: {writes.deals_error}." if writes.deals_error else ""
    failed += f" The task write failed: {writes.tasks_error}." if writes.tasks_error else ""
    return ("1-2: the relays and consumers (contacts, deals, tasks, audit; the counters consumer too) were held "
            "(SIGSTOP) during the HTTP loads, "
            "so only the HTTP path competes for the cores; 1b POSTs a deal (name, value, currency: the default "
            "process, no links), 1c a task (title, type, due, priority, a reminder; no links), each compared with the "
            f"same bare person handler.{failed} Failed or non-2xx requests: "
            f"{errors}. Cores used by each gunicorn worker during each load: {writes.shares()}; a worker near 0 "
            "means the keep-alive connections all landed on the other one (gthread does not balance them), which "
            "caps that figure at one process.")


def lag_note(suite: LagResult, bare: LagResult, caught_up: tuple[int, float]) -> str:
    """Say how line 3 was paced and watched, and where the lag went."""
    pacing, writes = suite.pacing, suite.writes or Latencies.of([])
    failures = f" ({'; '.join(pacing.errors)})" if pacing.errors else ""
    stages = f"From the pipeline's own timestamps: {suite.stages.describe()}. " if suite.stages else ""
    return (f"3: the backlog held during 1-2 reached the audit log and the other consumers {caught_up[1]:.1f} s "
            f"after the pipeline went on ({caught_up[0]:,} contacts, deals and tasks events in all). "
            f"Then {pacing.calls:,} persons were POSTed straight to contacts "
            f"open-loop at {pacing.rate:.0f}/s (worst start delay {pacing.worst_start_delay * 1000:.0f} ms, "
            f"write p50/p99 {writes.p50_ms:.1f}/{writes.p99_ms:.1f} ms, failed {pacing.failures}{failures}); "
            "each entry was found by polling the audit database every 5 ms, not the API, to add no load; "
            f"never seen: {suite.missing}. {stages}Bare hop: {bare.pacing.calls:,} events at "
            f"{bare.pacing.rate:.0f}/s into a queue of its own vhost, one insert+commit per event, "
            f"never seen: {bare.missing}.")


def publish_note(results: PublishResults, confirm_cap: float) -> str:
    """Say how line 4's three publishers compare."""
    return (f"4: the confirm-each loop stops after {confirm_cap:g} s ({results.confirm_each.events:,} events); "
            "all three publish the same persistent messages to the crm.events exchange and its durable queue, "
            "each in a vhost of its own.")


def ingest_note(results: IngestResults, events: int) -> str:
    """Say what line 5's consumer drained."""
    return (f"5: the relay's {events:,} events drained by `python -m crm_audit consume` into a database of its "
            f"own; dead-lettered: {results.dead_letters}.")


def wrap(note: str) -> str:
    """Return a note as an indented paragraph of the output."""
    return textwrap.fill(note, width=110, initial_indent="- ", subsequent_indent="  ")


def push_note(results: PushResults) -> str:
    """Say how line 6 was taken."""
    mine, bare = results.counters, results.bare
    return ("6: the counters service's own ASGI app (uvicorn, as `serve` runs it; tokens checked against the bench's "
            "key, no gateway) and a bare asyncio server polling a table of per-user versions at the same 0.25 s, each "
            f"in a process of its own with {mine.streams:,} streams open (one asyncio client loop in the bench); "
            "changes of random users committed at a steady rate — for the counters an overdue task event handled as "
            "the consumer handles it, for the bare server one upsert — and each timed from its commit to the first "
            f"push showing it. Missing: counters {mine.missing}, bare {bare.missing}; opening the streams took "
            f"{mine.connect_seconds:.1f} s (counters, each stream's counts computed at connect) and "
            f"{bare.connect_seconds:.1f} s (bare). Through the gateway each stream would hold one gateway thread "
            "(a worker passes on half its 16 at most), so 1,000 streams are measured on the service's own port, "
            "where a cluster's Ingress sends them.")


def audit_scale_note(results: AuditScaleResults) -> str:
    """Line 7's note: what the pages and exports ran on."""
    return (f"line 7: {results.rows:,} generated entries (97 users, 200,000 objects of 5 types, 7 operations, one "
            "every 5 s, monthly partitions); each page timed 30 times through AuditQueries / the repository "
            "(no HTTP), page 1,000 by its keyset cursor; the bare query reads the same page by time alone with "
            "a psycopg cursor. Exports run in a child process each (peak RSS is that process's), one row per "
            "entry; the bare writers write the same number of rows held in memory, without a database.")
