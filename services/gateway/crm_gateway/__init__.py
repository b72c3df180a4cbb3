"""The CRM gateway: identity, token issuing and the single entry point to every service."""
