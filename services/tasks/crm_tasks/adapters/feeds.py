"""Calendar feed secrets and the post-sale runs, in the caller's transaction."""
from __future__ import annotations

from datetime import datetime
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from crm_shared.upsert import insert, upsert

from crm_tasks.adapters.tables import post_sale_runs, task_feeds


class FeedRepository:
    """Each user's one calendar feed, found by the SHA-256 of its secret."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def put(self, user_id: str, secret_hash: str, now: datetime) -> None:
        """Give the user this feed secret, replacing any earlier one."""
        upsert(self.connection, task_feeds, {"user_id": user_id, "secret_hash": secret_hash, "created_at": now},
               keys=("user_id",))

    def owner_of(self, secret_hash: str) -> str | None:
        """Return the id of the user whose feed has this secret, or None."""
        return self.connection.execute(
            sa.select(task_feeds.c.user_id).where(task_feeds.c.secret_hash == secret_hash)).scalar()


class PostSaleRuns:
    """Which closes of deals had their post-sale template applied: one row per (deal, event sequence)."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def claim(self, deal_id: str, sequence: int, template_id: str, now: datetime) -> bool:
        """Record this close; return False when it was recorded before (the template is applied already)."""
        statement = insert(self.connection, post_sale_runs).values(
            deal_id=deal_id, sequence=sequence, template_id=template_id, applied_at=now).on_conflict_do_nothing().returning(post_sale_runs.c.deal_id)
        return self.connection.execute(statement).first() is not None
