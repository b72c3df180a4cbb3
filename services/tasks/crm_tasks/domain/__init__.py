"""The tasks domain, free of Flask, SQL, the bus and marshmallow."""
