"""The contacts service as the suite runs, wires and routes it."""
from crm_shared.declaration import ConsumerQueue, ServiceDeclaration

SERVICE = ServiceDeclaration(
    name="contacts",
    port=8081,
    relay=True,
    # the links deals, tasks and interactions make; and a person's erasure, which links nothing but
    # takes the person's values out of the queue's dead letters (crm_shared.dead_letters)
    queue=ConsumerQueue("contacts", ("crm.deal.#", "crm.task.#", "crm.interaction.#", "crm.person.anonymized")),
    routes=("persons", "companies", "groups", "registry", "imports"),
)
