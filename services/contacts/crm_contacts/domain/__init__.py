"""The contacts domain: persons and companies, free of Flask, SQL and the bus."""
