"""Open-loop load: start call i at i/rate seconds, whatever the earlier calls are still doing."""
from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Callable


@dataclass
class Pacing:
    """How well the schedule was kept: calls made and failed (a few distinct errors), the worst start delay."""

    calls: int = 0
    failures: int = 0
    worst_start_delay: float = 0.0
    last_start: float = 0.0
    errors: list[str] = field(default_factory=list)

    @property
    def rate(self) -> float:
        """Return the calls started per second, from the first start to the last."""
        return (self.calls - 1) / self.last_start if self.last_start > 0 else 0.0


def open_loop(call: Callable[[int], None], *, rate: float, seconds: float, workers: int = 64) -> Pacing:
    """Call `call(i)` for i = 0 … rate·seconds − 1 on schedule, from a pool of worker threads.

    A closed loop (wait for an answer, then send the next) slows down with the system and
    hides its latency; here a slow answer only occupies one of the workers.
    """
    pacing = Pacing()
    lock = threading.Lock()
    start = time.monotonic()

    def run(index: int, due: float) -> None:
        started = time.monotonic()
        delay = started - due
        try:
            call(index)
            failed = None
        except Exception as exc:  # a failed call is counted and shown, not fatal to the run
            failed = repr(exc)
        with lock:
            pacing.calls += 1
            pacing.worst_start_delay = max(pacing.worst_start_delay, delay)
            pacing.last_start = max(pacing.last_start, started - start)
            if failed:
                pacing.failures += 1
                if len(pacing.errors) < 3 and failed[:160] not in pacing.errors:
                    pacing.errors.append(failed[:160])

    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="open-loop") as pool:
        for index in range(int(rate * seconds)):
            due = start + index / rate
            pause = due - time.monotonic()
            if pause > 0:
                time.sleep(pause)
            pool.submit(run, index, due)
    return pacing
