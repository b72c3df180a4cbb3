"""The counters service as the suite runs, wires and routes it."""
from crm_shared.declaration import ConsumerQueue, ServiceDeclaration

SERVICE = ServiceDeclaration(
    name="counters",
    port=8085,
    relay=True,
    queue=ConsumerQueue("counters", ("crm.task.#", "crm.interaction.#", "crm.person.#", "crm.company.#",
                                     "crm.deal.#")),
    routes=("counters",),
)
