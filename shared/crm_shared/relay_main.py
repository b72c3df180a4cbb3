"""`crm-relay SERVICE`: the relay process of one service's outbox."""
from __future__ import annotations

import argparse
import logging

import sqlalchemy as sa

from crm_shared import bus, db, logs
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
    log.info("relay started")
    try:
        relay.run(wakeup, stop)
    finally:
        wakeup.close()
        publisher.close()
        engine.dispose()
        log.info("relay stopped")


if __name__ == "__main__":
    main()
