"""Storage of contacts in SQL (SQLite or PostgreSQL)."""
