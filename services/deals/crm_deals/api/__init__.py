"""The HTTP edge of the deals service."""
