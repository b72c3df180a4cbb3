"""`crm-relay SERVICE`: the relay process of one service's outbox."""
from __future__ import annotations

import argparse
import logging

import sqlalchemy as sa

from prometheus_client.core import GaugeMetricFamily

from crm_shared import bus, db, logs, metrics, probes, tracing
from crm_shared.config import Settings
from crm_shared.outbox import outbox_table
from crm_shared.process import stop_on_signals
from crm_shared.publisher import ConfirmingPublisher
from crm_shared.relay import OutboxRelay
from crm_shared.wakeup import PollingWakeup, PostgresWakeup, Wakeup

log = logging.getLogger("crm.relay")


def main(argv: list[str] | None = None) -> None:
    """Run the relay of the named service until SIGTERM."""
    parser = argparse.ArgumentParser(prog="crm-relay", description=__doc__)
    parser.add_argument("service", help="the service whose outbox to relay, e.g. contacts")
    parser.add_argument("--batch-size", type=int, default=500)
    args = parser.parse_args(argv)
    logs.configure(f"{args.service}-relay")
    settings = Settings.from_env(args.service)
    stop = stop_on_signals()
    engine = db.create_engine(settings.database_url, pool_size=2)
    publisher = ConfirmingPublisher(lambda: bus.connect(settings))
    relay = OutboxRelay(
        engine, outbox_table(sa.MetaData()), publisher, service=args.service, batch_size=args.batch_size
    )
    wakeup: Wakeup = (
        PostgresWakeup(settings.database_url, args.service)
        if db.is_postgres(engine)
        else PollingWakeup(settings.broker_polling_interval)
    )
    tracing.configure(f"{args.service}-relay")
    metrics.forget_dead_processes()
    metrics.register_collector(metrics.ScrapeTimeGauges(lambda: backlog_gauges(relay)))

    probe_server = probes.start_from_env(readiness(engine, publisher))
    log.info("relay started")
    try:
        relay.run(wakeup, stop)
    finally:
        wakeup.close()
        publisher.close()
        if probe_server is not None:
            probe_server.close()
        engine.dispose()
        tracing.shutdown()
        log.info("relay stopped")


def readiness(engine: sa.Engine, publisher: ConfirmingPublisher) -> probes.Readiness:
    """A relay is ready when its database answers and it holds its broker connection."""

    def ready() -> None:
        with engine.connect() as connection:
            connection.execute(sa.text("SELECT 1"))
        if not publisher.connected:
            raise RuntimeError("no connection to the broker")

    return ready


def backlog_gauges(relay: OutboxRelay) -> list[GaugeMetricFamily]:
    """Read the outbox backlog (one indexed query, at scrape time): rows waiting and the oldest's age."""
    count, age = relay.backlog()
    backlog = GaugeMetricFamily("crm_outbox_backlog", "Outbox rows not yet published.", labels=["service"])
    backlog.add_metric([relay.service], count)
    oldest = GaugeMetricFamily("crm_outbox_oldest_age_seconds", "Age of the oldest unpublished outbox row "
                               "(0 when none waits).", labels=["service"])
    oldest.add_metric([relay.service], age)
    return [backlog, oldest]


if __name__ == "__main__":
    main()
