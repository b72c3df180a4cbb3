"""The deals service as the suite runs, wires and routes it."""
from crm_shared.declaration import ConsumerQueue, ServiceDeclaration

SERVICE = ServiceDeclaration(
    name="deals",
    port=8082,
    relay=True,
    queue=ConsumerQueue("deals", ("crm.person.#", "crm.company.#", "crm.task_template.#")),
    routes=("deals", "processes", "deal-sources"),
)
