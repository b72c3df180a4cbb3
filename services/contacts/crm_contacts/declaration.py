"""The contacts service as the suite runs, wires and routes it."""
from crm_shared.declaration import ConsumerQueue, ServiceDeclaration

SERVICE = ServiceDeclaration(
    name="contacts",
    port=8081,
    relay=True,
    queue=ConsumerQueue("contacts", ("crm.deal.#", "crm.task.#", "crm.interaction.#")),
    routes=("persons", "companies", "groups", "registry", "imports"),
)
