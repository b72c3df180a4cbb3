"""Who a unit of work acts as while it emits: the caller, or an automation acting for them."""
from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator

from crm_shared.envelope import Actor


class Acting:
    """A unit of work's `actor`, which a block may change for the events it emits."""

    actor: Actor

    @contextmanager
    def acting_as(self, actor: Actor) -> Iterator[None]:
        """Emit the events of this block as `actor` (e.g. `automation_by(event)`), then act as before."""
        previous, self.actor = self.actor, actor
        try:
            yield
        finally:
            self.actor = previous
