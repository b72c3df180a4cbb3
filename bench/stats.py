"""Percentiles and latency summaries of lists of seconds."""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Sequence


def percentile(values: Sequence[float], fraction: float) -> float:
    """Return the nearest-rank percentile (`fraction` in 0..1) of `values`."""
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = max(1, math.ceil(fraction * len(ordered)))
    return ordered[rank - 1]


@dataclass(frozen=True)
class Latencies:
    """p50, p99 and maximum of a set of durations, in milliseconds."""

    count: int
    p50_ms: float
    p99_ms: float
    max_ms: float

    @classmethod
    def of(cls, seconds: Sequence[float]) -> "Latencies":
        """Summarise durations given in seconds."""
        return cls(
            count=len(seconds),
            p50_ms=percentile(seconds, 0.50) * 1000,
            p99_ms=percentile(seconds, 0.99) * 1000,
            max_ms=(max(seconds) * 1000) if seconds else math.nan,
        )
