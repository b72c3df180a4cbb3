"""Comments on tasks and the shares between users, in the caller's transaction."""
from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from crm_shared.upsert import upsert

from crm_tasks.adapters.tables import task_comments, task_shares
from crm_tasks.domain.comments import Comment
from crm_tasks.domain.sharing import Share


class CommentRepository:
    """Comments, oldest first per task."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def add(self, comment: Comment) -> None:
        self.connection.execute(task_comments.insert(), {
            "id": comment.id, "task_id": comment.task_id, "author_id": comment.author_id,
            "author_name": comment.author_name, "text": comment.text, "created_at": comment.created_at})

    def of_task(self, task_id: str) -> list[Comment]:
        query = (sa.select(task_comments).where(task_comments.c.task_id == task_id)
                 .order_by(task_comments.c.created_at, task_comments.c.id))
        return [Comment(**dict(row)) for row in self.connection.execute(query).mappings()]

    def remove_of_task(self, task_id: str) -> None:
        self.connection.execute(task_comments.delete().where(task_comments.c.task_id == task_id))


class ShareRepository:
    """What each user shares of their tasks with whom."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def given_by(self, owner_id: str) -> list[Share]:
        query = sa.select(task_shares).where(task_shares.c.owner_id == owner_id).order_by(task_shares.c.grantee_id)
        return [_share(row) for row in self.connection.execute(query).mappings()]

    def given_to(self, grantee_id: str) -> dict[str, Share]:
        """Return the shares given to a user, by owner id."""
        query = sa.select(task_shares).where(task_shares.c.grantee_id == grantee_id)
        return {row["owner_id"]: _share(row) for row in self.connection.execute(query).mappings()}

    def put(self, share: Share) -> None:
        upsert(self.connection, task_shares, {"owner_id": share.owner_id, "grantee_id": share.grantee_id,
                                              "level": share.level, "per_type": dict(share.per_type)},
               keys=("owner_id", "grantee_id"))


def _share(row: Any) -> Share:
    return Share(owner_id=row["owner_id"], grantee_id=row["grantee_id"], level=row["level"],
                 per_type=dict(row["per_type"] or {}))
