"""The audit service as the suite runs, wires and routes it: it reads every change event."""
from crm_shared.declaration import ServiceDeclaration
from crm_shared.topology import AUDIT

# a restore (AUD-8) puts a value back through the API of the service owning the entry's record; a
# browser's EventSource sends no Authorization header, so the live tail takes a ticket instead and
# checks it (or the header) itself
SERVICE = ServiceDeclaration(name="audit", port=8084, queue=AUDIT, routes=("audit",),
                             public_routes=("audit/stream",), streams=("audit/stream",),
                             calls=("contacts", "deals", "tasks", "interactions"))
