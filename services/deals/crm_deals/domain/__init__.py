"""The deals domain: sales processes and deals, free of Flask, SQL and the bus."""
