"""The audit service as the suite runs, wires and routes it: it reads every change event."""
from crm_shared.declaration import ServiceDeclaration
from crm_shared.topology import AUDIT

# a restore (AUD-8) puts a value back through the API of the service owning the entry's record
SERVICE = ServiceDeclaration(name="audit", port=8084, queue=AUDIT, routes=("audit",),
                             calls=("contacts", "deals", "tasks", "interactions"))
