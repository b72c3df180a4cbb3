"""The tasks service as the suite runs, wires and routes it."""
from crm_shared.declaration import ConsumerQueue, ServiceDeclaration

SERVICE = ServiceDeclaration(
    name="tasks",
    port=8083,
    relay=True,
    queue=ConsumerQueue("tasks", ("crm.person.#", "crm.company.#", "crm.deal.#", "crm.user.#")),
    routes=("tasks", "task-types", "task-settings", "task-statuses", "task-templates", "task-sharing",
            "task-feed", "spaces"),
    public_routes=("task-feed",),
)
