"""The suite's Prometheus metrics, defined once for every service, and their exposition.

Every process serves them at `/metrics`: an API on its HTTP port, a relay or consumer on its
probe port (`crm_shared.probes`). Under gunicorn the workers share one
`PROMETHEUS_MULTIPROC_DIR` (`multiprocess_dir()` makes one per process tree when it is unset,
before gunicorn starts) and any worker's `/metrics` answers for all of them.

Labels are bounded: a route is the URL rule (`/persons/<uuid:person_id>`), never the path;
a service, queue, method and status have a handful of values each.

    crm_http_requests_total{service,method,route,status}
    crm_http_request_duration_seconds{service,method,route}            histogram
    crm_outbox_backlog{service}                                        unpublished rows (relay, at scrape)
    crm_outbox_oldest_age_seconds{service}                             age of the oldest of them
    crm_relay_batches_total{service} / crm_relay_published_total{service} / crm_relay_failed_batches_total{service}
    crm_consumer_processed_total{queue} / crm_consumer_duplicates_total{queue}
    crm_consumer_retried_total{queue} / crm_consumer_dead_lettered_total{queue}
    crm_consumer_handling_seconds{queue}                               histogram, per committed batch
    crm_consumer_lag_seconds{queue}                                    histogram, event time → commit
    crm_queue_depth{queue} / crm_dead_letter_queue_depth{queue}        from the consumer's passive declares
    crm_open_streams{service}                                          server-sent event streams open now
"""
from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import Callable, Iterable

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.registry import REGISTRY, Collector

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"
#: set when the suite made the multiprocess folder itself, so that it also removes it
OWNED_ENV = "CRM_METRICS_DIR_OWNED"

_LATENCY = (0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
_LAG = (0.01, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 300.0, 900.0)

HTTP_REQUESTS = Counter("crm_http_requests", "HTTP requests answered, by route template and status.",
                        ["service", "method", "route", "status"])
HTTP_LATENCY = Histogram("crm_http_request_duration_seconds", "Time to answer an HTTP request (until its headers).",
                         ["service", "method", "route"], buckets=_LATENCY)

RELAY_BATCHES = Counter("crm_relay_batches", "Outbox batches the relay published and marked.", ["service"])
RELAY_PUBLISHED = Counter("crm_relay_published", "Events the relay published with the broker's confirm.", ["service"])
RELAY_FAILED = Counter("crm_relay_failed_batches", "Outbox batches that failed to publish (offered again).",
                       ["service"])

CONSUMER_PROCESSED = Counter("crm_consumer_processed", "Events whose effect a consumer committed.", ["queue"])
CONSUMER_DUPLICATES = Counter("crm_consumer_duplicates", "Deliveries of events a consumer had already processed.",
                              ["queue"])
CONSUMER_RETRIED = Counter("crm_consumer_retried", "Retries of an event that failed to process.", ["queue"])
CONSUMER_DEAD_LETTERED = Counter("crm_consumer_dead_lettered", "Messages a consumer sent to its dead-letter queue.",
                                 ["queue"])
DEAD_LETTERS_REDACTED = Counter("crm_dead_letters_redacted", "Dead letters whose erased subject's values were taken out.",
                                ["queue"])
CONSUMER_HANDLING = Histogram("crm_consumer_handling_seconds", "Time to handle and commit one batch of events.",
                              ["queue"], buckets=_LATENCY)
CONSUMER_LAG = Histogram("crm_consumer_lag_seconds", "From an event's time to the commit of its effect.",
                         ["queue"], buckets=_LAG)
QUEUE_DEPTH = Gauge("crm_queue_depth", "Messages ready in a consumer's queue (at its last check).", ["queue"],
                    multiprocess_mode="livemax")
DEAD_LETTER_DEPTH = Gauge("crm_dead_letter_queue_depth", "Messages in a consumer's dead-letter queue.", ["queue"],
                          multiprocess_mode="livemax")

#: server-sent event streams open now; a streaming view does `with OPEN_STREAMS.labels(service).track_inprogress():`
OPEN_STREAMS = Gauge("crm_open_streams", "Server-sent event streams open now.", ["service"],
                     multiprocess_mode="livesum")


def multiprocess_dir(environ: dict[str, str] | None = None) -> str:
    """Return the process tree's multiprocess folder, making a fresh one (and naming it in the
    environment) when PROMETHEUS_MULTIPROC_DIR is unset. Call it before gunicorn starts."""
    environ = os.environ if environ is None else environ  # type: ignore[assignment]
    folder = environ.get(MULTIPROC_ENV)
    if not folder:
        folder = tempfile.mkdtemp(prefix="crm-metrics-")
        environ[MULTIPROC_ENV] = folder
        environ[OWNED_ENV] = folder
    Path(folder).mkdir(parents=True, exist_ok=True)
    return folder


def clear_multiprocess_dir() -> None:
    """Remove the previous run's files (a restarted server starts from zero, as Prometheus expects)."""
    folder = os.environ.get(MULTIPROC_ENV)
    if folder and Path(folder).is_dir():
        for file in Path(folder).glob("*.db"):
            file.unlink(missing_ok=True)


def worker_exited(pid: int) -> None:
    """Forget a dead worker's live gauges (its counters stay: they are totals)."""
    if os.environ.get(MULTIPROC_ENV):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(pid)


def forget_dead_processes() -> None:
    """Drop the live gauges of processes that are gone from a shared multiprocess folder (a relay or
    consumer restarted in its container calls it at start; their counters stay, being totals)."""
    folder = os.environ.get(MULTIPROC_ENV)
    if not folder or not Path(folder).is_dir():
        return
    for file in Path(folder).glob("gauge_live*_*.db"):
        pid = file.stem.rsplit("_", 1)[-1]
        if pid.isdigit() and int(pid) != os.getpid() and not _alive(int(pid)):
            worker_exited(int(pid))


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def remove_owned_dir() -> None:
    """Remove the multiprocess folder if this process tree made it."""
    folder = os.environ.get(OWNED_ENV)
    if folder and folder == os.environ.get(MULTIPROC_ENV):
        shutil.rmtree(folder, ignore_errors=True)


def registry() -> CollectorRegistry:
    """Return the registry to expose: every worker's values under gunicorn, this process's otherwise."""
    if os.environ.get(MULTIPROC_ENV):
        from prometheus_client import multiprocess

        collected = CollectorRegistry()
        multiprocess.MultiProcessCollector(collected)
        for collector in _extra_collectors:
            collected.register(collector)
        return collected
    return REGISTRY


_extra_collectors: list[Collector] = []


def register_collector(collector: Collector) -> None:
    """Add a collector read at scrape time (the relay's outbox backlog) to what this process exposes."""
    _extra_collectors.append(collector)
    REGISTRY.register(collector)


def exposition() -> tuple[bytes, str]:
    """Return the text exposition of this process's metrics and its content type."""
    return generate_latest(registry()), CONTENT_TYPE_LATEST


class ScrapeTimeGauges(Collector):
    """Gauges computed when scraped (one query, none on the hot path), e.g. the outbox backlog."""

    def __init__(self, read: Callable[[], Iterable[object]]) -> None:
        self._read = read

    def collect(self) -> Iterable[object]:
        try:
            yield from self._read()
        except Exception:  # an unreachable database answers no gauge rather than failing the scrape
            return

    def describe(self) -> Iterable[object]:
        return []
