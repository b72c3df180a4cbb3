"""The HTTP edge of the contacts service."""
