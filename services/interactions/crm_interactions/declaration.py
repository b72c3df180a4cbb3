"""The interactions service as the suite runs, wires and routes it."""
from crm_shared.declaration import ConsumerQueue, ServiceDeclaration

SERVICE = ServiceDeclaration(
    name="interactions",
    port=8086,
    relay=True,
    # every event: contacts and groups keep the copies, and a rule may name any event type
    queue=ConsumerQueue("interactions", ("crm.#",)),
    routes=("interactions", "interaction-templates", "interaction-rules", "attachments"),
)
