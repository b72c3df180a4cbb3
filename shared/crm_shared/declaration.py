"""A service is a folder: its package declares itself once, and the suite reads the declarations.

Each service package exposes `SERVICE = ServiceDeclaration(...)` in `crm_<name>/declaration.py`
(importing nothing heavy) and names it in its pyproject:

    [project.entry-points."crm.services"]
    deals = "crm_deals.declaration:SERVICE"

The Makefile installs every `services/*/pyproject.toml`; the suite runner (`crm_suite.plan`),
the bus topology (`crm_shared.topology.consumers()`), the service ports and the gateway's
route table read `installed()`.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib.metadata import entry_points
from typing import Any

ENTRY_POINT_GROUP = "crm.services"


#: how often the broker hands out one message before it dead-letters it itself: the consumer
#: dead-letters what it cannot process, so only a message that kills its consumer (or one
#: held through that many restarts) gets this far
DELIVERY_LIMIT = 20


@dataclass(frozen=True)
class ConsumerQueue:
    """A consumer's durable quorum queue, the event types it binds, and its dead-letter queue."""

    name: str
    bindings: tuple[str, ...]

    @property
    def dead_letter_name(self) -> str:
        """Return the name of the dead-letter queue, `<name>.dead`."""
        return f"{self.name}.dead"

    @property
    def arguments(self) -> dict[str, Any]:
        """Return the queue's arguments: a quorum queue (replicated on a cluster, unlike a classic
        one) that dead-letters rejected messages and those delivered `DELIVERY_LIMIT` times."""
        return {
            "x-queue-type": "quorum",
            "x-delivery-limit": DELIVERY_LIMIT,
            "x-dead-letter-exchange": "",
            "x-dead-letter-routing-key": self.dead_letter_name,
        }

    #: the dead-letter queue is a quorum queue too, without a limit or a dead-letter queue of its own
    dead_letter_arguments = {"x-queue-type": "quorum"}

    def queue(self) -> Any:
        """Return the kombu queue, with broker-side dead-lettering for rejected messages."""
        from kombu import Queue, binding

        from crm_shared.topology import events_exchange

        return Queue(
            self.name,
            exchange=events_exchange,
            bindings=[binding(events_exchange, routing_key=key) for key in self.bindings],
            durable=True,
            queue_arguments=self.arguments,
        )

    def dead_letter_queue(self) -> Any:
        """Return the kombu dead-letter queue."""
        from kombu import Queue

        from crm_shared.topology import default_exchange

        return Queue(self.dead_letter_name, exchange=default_exchange, routing_key=self.dead_letter_name, durable=True,
                     queue_arguments=dict(self.dead_letter_arguments))


@dataclass(frozen=True)
class ServiceDeclaration:
    """Everything the suite needs to know to run, wire and route one service.

    - `setup`: the one-off command before the service serves (`migrate`; the gateway's `bootstrap`)
    - `serve`: an HTTP server, `python -m <module> serve`, on `port`
    - `relay`: an outbox relay, `python -m crm_shared.relay_main <name>`
    - `queue`: a consumer of this queue and bindings, `python -m <module> consume`
    - `routes`: the first path segments after `/api/v1/` the gateway sends to this service
    - `threads`: the HTTP server's threads per worker (CRM_WEB_THREADS overrides)
    - `public_routes`: those of `routes` the gateway passes on without a token (the service
      itself decides who may read them, e.g. a secret URL); a longer path such as
      `counters/stream` opens only the paths starting with it
    - `streams`: those of `public_routes` that hold their connection open (server-sent events);
      in a cluster the Ingress sends them to the service itself, so that an open stream holds no
      gateway thread (the service checks the stream's token or ticket either way)
    - `calls`: the services whose APIs this one calls directly, not through the gateway (the
      audit service restores a record through its owner's API); the cluster lets it reach them
    """

    name: str
    port: int
    setup: str | None = "migrate"
    serve: bool = True
    relay: bool = False
    queue: ConsumerQueue | None = None
    routes: tuple[str, ...] = ()
    public_routes: tuple[str, ...] = ()
    streams: tuple[str, ...] = ()
    module: str = ""
    threads: int = 4
    calls: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        unchecked = [stream for stream in self.streams if stream not in self.public_routes]
        if unchecked:
            raise ValueError(f"{self.name}: streams {unchecked} are not among its public routes: "
                             "a stream reached past the gateway must check its caller itself")

    @property
    def package(self) -> str:
        """Return the service's Python package, `crm_<name>` unless declared."""
        return self.module or f"crm_{self.name}"

    @property
    def consumes(self) -> bool:
        """Tell whether the service runs a consumer."""
        return self.queue is not None


@lru_cache(maxsize=1)
def installed() -> tuple[ServiceDeclaration, ...]:
    """Return the declarations of the installed service packages, by port."""
    found = [entry.load() for entry in entry_points(group=ENTRY_POINT_GROUP)]
    for declaration in found:
        if not isinstance(declaration, ServiceDeclaration):
            raise TypeError(f"{declaration!r} in {ENTRY_POINT_GROUP} is not a ServiceDeclaration")
    return tuple(sorted(found, key=lambda declaration: (declaration.port, declaration.name)))


def declared(name: str) -> ServiceDeclaration | None:
    """Return the declaration of an installed service, or None."""
    return next((declaration for declaration in installed() if declaration.name == name), None)
