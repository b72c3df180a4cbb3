"""`python -m bench` (make bench): measure the suite once and print one table of figures beside baselines."""
from __future__ import annotations

import argparse
import shutil
import sys
from datetime import datetime

from crm_shared.testing import servers

from bench import hop, lag, machine, notes, report
from bench.audit_scale import measure_audit_scale
from bench.events import person_events
from bench.ingest import measure_ingest
from bench.publishing import measure_publishing
from bench.pushes import measure_pushes
from bench.run import Run, say
from bench.suite import start_suite, wait_caught_up
from bench.workspace import REPO, Workspace
from bench.writes import measure_writes, start_bare
from bench.wrk import LoadSettings


def main(argv: list[str] | None = None) -> int:
    """Run every measurement, print the table and notes; exit 1 if a measurement failed."""
    args = _arguments(argv)
    _require_servers(wrk=not args.only_audit_scale)
    load = LoadSettings(connections=args.connections, seconds=args.seconds)
    results_dir = REPO / "bench" / "results" / datetime.now().strftime("%Y%m%d-%H%M%S")
    run = Run()
    with Workspace(results_dir) as workspace:
        # this run's databases: the bench's own, and RunningSuite's (crm_t<servers.RUN_ID>_…)
        ours = (f"bench_{workspace.run_id}_", f"crm_t{servers.RUN_ID}_")
        before = machine.CpuSnapshot.take(ours)
        say(f"run {workspace.run_id} in {results_dir.relative_to(REPO)}/; HTTP {load.describe()}")
        if args.only_audit_scale:
            _measure_audit_scale(run, args)
        else:
            _measure_bus(run, workspace, args)
        # before the suite starts: nothing else of the bench's runs beside the 1,000 streams then
            _measure_pushes(run, workspace, args)
            _measure_suite(run, workspace, args, load)
            _measure_audit_scale(run, args)
        say("cleaning up")
    after = machine.CpuSnapshot.take(ours)
    print(run.output(notes.header(before.others_share(after), load, after.at - before.at), results_dir, REPO))
    return 1 if run.failed else 0


def _measure_bus(run: Run, workspace: Workspace, args: argparse.Namespace) -> None:
    """Lines 4 and 5: the relay's publishing, then the audit consumer draining what it published."""
    events = person_events(args.events)
    publishing = run.step(4, "4 outbox relay", lambda: measure_publishing(
        workspace, events, confirm_cap=args.confirm_cap))
    if not publishing:
        return
    run.rows[4] = report.publish_rows(publishing)
    run.notes[4] = notes.publish_note(publishing, args.confirm_cap)
    ingest = run.step(5, "5 audit consumer ingest", lambda: measure_ingest(
        workspace, publishing.relay_broker, publishing.no_confirm_broker, publishing.relay.events))
    if ingest:
        run.rows[5] = report.ingest_rows(ingest)
        run.notes[5] = notes.ingest_note(ingest, publishing.relay.events)


def _measure_suite(run: Run, workspace: Workspace, args: argparse.Namespace, load: LoadSettings) -> None:
    """Lines 1 to 3 (and 1b, 1c: the deal and task writes), on the whole suite started as separate processes."""
    suite = run.step(1, "1-3 the suite", lambda: start_suite(workspace), keep=False)
    writes = suite and run.step(1, "1-2 contacts, deals and tasks writes", lambda: measure_writes(
        workspace, suite, start_bare(workspace), load))
    if not (suite and writes):
        return
    run.rows[1] = report.write_rows(writes)
    run.notes[1] = notes.writes_note(writes)
    run.failed = run.failed or writes.deals is None or writes.tasks is None  # line 1b or 1c could not be taken
    caught_up = run.step(3, "3 lag", lambda: wait_caught_up(suite))
    lags = caught_up and run.step(3, "3 write→audit entry lag", lambda: (
        lag.suite_lag(suite, rate=args.rate, seconds=args.lag_seconds),
        hop.bare_hop_lag(workspace, rate=args.rate, seconds=args.lag_seconds)))
    if caught_up and lags:
        run.rows[3] = report.lag_rows(*lags, rate=args.rate)
        run.notes[3] = notes.lag_note(*lags, caught_up)


def _measure_pushes(run: Run, workspace: Workspace, args: argparse.Namespace) -> None:
    """Line 6: the counters' pushes to open streams beside a bare asyncio server's."""
    pushes = run.step(6, "6 counters push latency", lambda: measure_pushes(
        workspace, streams=args.streams, rate=args.push_rate, seconds=args.lag_seconds))
    if pushes:
        run.rows[6] = report.push_rows(pushes, args.push_rate)
        run.notes[6] = notes.push_note(pushes)


def _measure_audit_scale(run: Run, args: argparse.Namespace) -> None:
    """Line 7: the audit log's list pages and exports at 10 million entries, beside bare queries and writers."""
    scale = run.step(7, "7 audit log at scale", lambda: measure_audit_scale(args.audit_rows, args.export_rows))
    if scale:
        run.rows[7] = report.audit_scale_rows(scale)
        run.notes[7] = notes.audit_scale_note(scale)


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--seconds", type=float, default=10.0, help="each HTTP measurement (default 10)")
    parser.add_argument("--connections", type=int, default=8, help="wrk connections (default 8)")
    parser.add_argument("--rate", type=float, default=200.0, help="writes per second for the lag (default 200)")
    parser.add_argument("--lag-seconds", type=float, default=10.0, help="length of the lag run (default 10)")
    parser.add_argument("--events", type=int, default=20_000, help="outbox rows and queued events (default 20000)")
    parser.add_argument("--confirm-cap", type=float, default=6.0, help="seconds of the confirm-each loop (default 6)")
    parser.add_argument("--streams", type=int, default=1000, help="open counters streams (default 1000)")
    parser.add_argument("--push-rate", type=float, default=100.0, help="counter changes per second (default 100)")
    parser.add_argument("--audit-rows", type=int, default=10_000_000,
                        help="entries of the audit log of line 7, built once and reused (default 10000000)")
    parser.add_argument("--export-rows", type=int, default=1_000_000, help="entries exported in line 7 (default 1000000)")
    parser.add_argument("--only-audit-scale", action="store_true", help="measure line 7 alone")
    args = parser.parse_args(argv)
    if min(args.streams, args.push_rate) <= 0:
        parser.error("--streams and --push-rate must be positive")
    if min(args.seconds, args.connections, args.rate, args.lag_seconds, args.confirm_cap) <= 0 or args.events < 100:
        parser.error("durations, connections and the rate must be positive, and --events at least 100")
    return args


def _require_servers(*, wrk: bool = True) -> None:
    missing = [what for what, ok in (
        (f"PostgreSQL at {servers.POSTGRES_URL}", servers.reachable(servers.POSTGRES_URL)),
        (f"RabbitMQ at {servers.AMQP_URL}", servers.reachable(servers.AMQP_URL)),
        ("wrk on the PATH", not wrk or shutil.which("wrk") is not None),
    ) if not ok]
    if missing:
        sys.exit("bench needs " + ", ".join(missing))


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        print("bench: interrupted; everything it had started was stopped and removed", file=sys.stderr)
        sys.exit(130)
