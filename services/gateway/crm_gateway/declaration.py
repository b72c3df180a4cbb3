"""The gateway as the suite runs it: bootstrap first, then serve (it routes, it is not routed to)."""
from crm_shared.declaration import ServiceDeclaration

SERVICE = ServiceDeclaration(name="gateway", port=8080, setup="bootstrap", relay=True)
