"""The audit service as the suite runs, wires and routes it: it reads every change event."""
from crm_shared.declaration import ServiceDeclaration
from crm_shared.topology import AUDIT

SERVICE = ServiceDeclaration(name="audit", port=8084, queue=AUDIT, routes=("audit",))
