"""The counters service as the suite runs, wires and routes it."""
from crm_shared.declaration import ConsumerQueue, ServiceDeclaration

SERVICE = ServiceDeclaration(
    name="counters",
    port=8085,
    relay=True,
    queue=ConsumerQueue("counters", ("crm.task.#", "crm.interaction.#", "crm.person.#", "crm.company.#",
                                     "crm.deal.#")),
    routes=("counters",),
    # a browser's EventSource sends no Authorization header: the stream takes a ticket instead, and
    # checks it (or the header) itself
    public_routes=("counters/stream",),
    streams=("counters/stream",),
)
