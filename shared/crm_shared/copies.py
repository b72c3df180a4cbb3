"""Copies of other services' records kept from their events: only a newer event counts.

At-least-once delivery may repeat or reorder one object's events; each event carries the
object's sequence (its version), and a copy remembers the sequence it was built from.
"""
from __future__ import annotations


def is_newer(sequence: int, applied: int | None) -> bool:
    """Tell whether an event of this sequence is newer than the copy's (None: no copy yet)."""
    return applied is None or sequence > applied
