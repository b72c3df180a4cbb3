"""Business registers (CON-12): a small interface, and an adapter per register (ARES first)."""
