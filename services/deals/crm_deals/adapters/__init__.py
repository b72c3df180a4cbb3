"""Storage of deals, processes and the contacts copy in SQL (SQLite or PostgreSQL)."""
