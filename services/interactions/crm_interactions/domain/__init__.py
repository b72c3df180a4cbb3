"""The interactions domain, free of the web, the database, the bus and the wire schemas."""
