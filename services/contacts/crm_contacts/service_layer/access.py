"""Loading a contact the caller may see, and who edits it."""
from __future__ import annotations

from crm_shared.errors import NotFound

from crm_contacts.domain.actions import Editor
from crm_contacts.domain.model import Contact
from crm_contacts.domain.visibility import Viewer, can_see
from crm_contacts.service_layer.unit_of_work import ContactsUnitOfWork


def visible_contact(
    uow: ContactsUnitOfWork, kind: str, contact_id: str, viewer: Viewer, *, for_update: bool = False
) -> Contact:
    """Return a contact the viewer may see; one they may not see is as missing as one that is not."""
    contact = uow.contacts.get(kind, contact_id, for_update=for_update)
    if contact is None or not can_see(viewer, contact.owner_id):
        raise NotFound(f"No {kind} with id {contact_id}.")
    return contact


def editor_of(viewer: Viewer) -> Editor:
    """Return the editor the domain rules judge: the caller's id, name and admin role."""
    return Editor(id=viewer.id, name=getattr(viewer, "name", viewer.id), is_admin=viewer.role == "admin")

