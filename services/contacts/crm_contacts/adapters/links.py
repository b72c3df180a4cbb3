"""The record of which deals, tasks and interactions link each contact (from their events)."""
from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from crm_shared.upsert import upsert

from crm_contacts.adapters.tables import contact_links, link_sources
from crm_contacts.domain.links import Link


class LinkRepository:
    """Links per contact, and the newest event applied per linking object."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def of_contact(self, contact_id: str) -> list[Link]:
        """Return the links of a contact, by object type and id."""
        query = (
            sa.select(contact_links)
            .where(contact_links.c.contact_id == contact_id)
            .order_by(contact_links.c.object_type, contact_links.c.object_id)
        )
        return [_link(row) for row in self.connection.execute(query).mappings()]

    def applied_sequence(self, object_type: str, object_id: str) -> int | None:
        """Return the sequence of the newest event applied for an object, if any."""
        query = sa.select(link_sources.c.sequence).where(
            link_sources.c.object_type == object_type, link_sources.c.object_id == object_id
        )
        return self.connection.execute(query).scalar()

    def replace(self, object_type: str, object_id: str, sequence: int, links: list[Link], *, deleted: bool) -> None:
        """Make `links` the object's current links, as of event `sequence`."""
        self.connection.execute(
            contact_links.delete().where(
                contact_links.c.object_type == object_type, contact_links.c.object_id == object_id
            )
        )
        if links:
            self.connection.execute(contact_links.insert(), [_row(link) for link in links])
        values = {"object_type": object_type, "object_id": object_id, "sequence": sequence, "deleted": deleted}
        upsert(self.connection, link_sources, values, keys=("object_type", "object_id"))

    def move(self, source_id: str, target_kind: str, target_id: str) -> None:
        """Re-point the links of a merged source to its target (later events confirm it)."""
        target_keys = {(link.object_type, link.object_id) for link in self.of_contact(target_id)}
        for link in self.of_contact(source_id):
            if (link.object_type, link.object_id) not in target_keys:
                self.connection.execute(contact_links.insert().values(
                    _row(Link(target_kind, target_id, link.object_type, link.object_id, link.object_name))))
        self.drop_contact(source_id)

    def drop_contact(self, contact_id: str) -> None:
        """Forget every link of a deleted contact."""
        self.connection.execute(contact_links.delete().where(contact_links.c.contact_id == contact_id))


def _row(link: Link) -> dict[str, object]:
    return {"contact_id": link.contact_id, "contact_kind": link.contact_kind, "object_type": link.object_type,
            "object_id": link.object_id, "object_name": (link.object_name or "")[:300] or None}


def _link(row: object) -> Link:
    return Link(row["contact_kind"], row["contact_id"], row["object_type"], row["object_id"],  # type: ignore[index]
                row["object_name"])  # type: ignore[index]
