"""The gateway as the suite runs it: bootstrap first, then serve (it routes, it is not routed to)."""
from crm_shared.declaration import ServiceDeclaration

# Each proxied call holds a gateway thread while the owning service works, and a service asks
# the gateway in turn (a token's session, the user directory): with no more threads than the
# services' own, all of them can be waiting on services that wait on the gateway. Proxying is
# I/O-bound, so the gateway keeps many more threads than the services.
SERVICE = ServiceDeclaration(name="gateway", port=8080, setup="bootstrap", relay=True, threads=16)
