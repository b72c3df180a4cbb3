"""Persons and companies, and how a change to one becomes a list of field changes."""
from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from datetime import datetime
from typing import Any, ClassVar, Iterable, Mapping

from crm_shared.changes import Change, created, deleted, diff
from crm_shared.rules import RuleBroken


class ContactRuleBroken(RuleBroken):
    """A change that would leave a contact invalid; `errors` names the fields (answered 422)."""


LIST_FIELDS = frozenset({"emails", "phones", "tags", "groups"})


@dataclass
class Contact:
    """What persons and companies share; consents, lock and validity change by their own actions."""

    kind: ClassVar[str]
    editable: ClassVar[tuple[str, ...]]

    id: str
    version: int
    created_at: datetime
    created_by: str
    updated_at: datetime
    updated_by: str
    owner_id: str | None = None
    emails: list[str] = field(default_factory=list)
    phones: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    groups: list[str] = field(default_factory=list)
    address: dict[str, str] | None = None
    note: str | None = None
    valid: bool = True
    consents: dict[str, dict[str, Any]] = field(default_factory=dict)
    locked_by: str | None = None
    locked_by_name: str | None = None
    locked_at: datetime | None = None
    anonymized_at: datetime | None = None

    @property
    def display_name(self) -> str:
        raise NotImplementedError

    @property
    def link(self) -> str:
        """Return the API path of the record."""
        return f"/api/v1/{self.kind}s/{self.id}"

    def values(self) -> dict[str, Any]:
        """Return the editable fields and their values."""
        return {name: getattr(self, name) for name in self.editable}

    def state(self) -> dict[str, Any]:
        """Return the whole record as plain data (the `state` of its events)."""
        data: dict[str, Any] = {f.name: getattr(self, f.name) for f in fields(self)}
        for stamp in ("created_at", "updated_at", "locked_at", "anonymized_at"):
            data[stamp] = data[stamp].isoformat() if data[stamp] else None
        data["kind"] = self.kind
        data["name"] = self.display_name
        return data

    def creation_changes(self) -> list[Change]:
        """Return every set field as a change from nothing."""
        return created(self.values(), self.editable)

    def deletion_changes(self) -> list[Change]:
        """Return every set field as a change to nothing."""
        return deleted(self.values(), self.editable)

    def updated(self, patch: Mapping[str, Any], *, actor_id: str, now: datetime) -> tuple["Contact", list[Change]]:
        """Return the record with `patch` applied, and the fields that really changed."""
        unknown = set(patch) - set(self.editable)
        if unknown:
            raise ContactRuleBroken({name: ["Unknown field."] for name in sorted(unknown)})
        proposed = replace(self, **normalize(patch))
        proposed.check()
        return self.changed_to(proposed, self.editable, actor_id=actor_id, now=now)

    def changed_to(
        self, proposed: "Contact", names: Iterable[str], *, actor_id: str, now: datetime
    ) -> tuple["Contact", list[Change]]:
        """Return `proposed` as the next version and the changes among `names` (none: self, [])."""
        names = tuple(names)
        before = {name: getattr(self, name) for name in names}
        after = {name: getattr(proposed, name) for name in names}
        changes = diff(before, after, names)
        if not changes:
            return self, []
        return self.next_version(proposed, actor_id=actor_id, now=now), changes

    def next_version(self, proposed: "Contact", *, actor_id: str, now: datetime) -> "Contact":
        """Return `proposed` stamped as the version after this one."""
        return replace(proposed, version=self.version + 1, updated_at=now, updated_by=actor_id)

    def check(self) -> None:
        """Raise ContactRuleBroken when the record breaks a rule of its kind."""


@dataclass
class Person(Contact):
    """A natural person, possibly working for a company."""

    kind: ClassVar[str] = "person"
    editable: ClassVar[tuple[str, ...]] = (
        "first_name", "last_name", "emails", "phones", "position", "company_id",
        "address", "note", "tags", "groups", "owner_id",
    )

    first_name: str | None = None
    last_name: str | None = None
    position: str | None = None
    company_id: str | None = None

    @property
    def display_name(self) -> str:
        if self.anonymized_at and not (self.first_name or self.last_name):
            return ANONYMIZED_NAME
        return " ".join(part for part in (self.first_name, self.last_name) if part)

    def check(self) -> None:
        if not (self.first_name or self.last_name or self.anonymized_at):
            raise ContactRuleBroken({"last_name": ["A person needs a first or a last name."]})


@dataclass
class Company(Contact):
    """A company or other organisation, identified in registers by IČO and DIČ."""

    kind: ClassVar[str] = "company"
    editable: ClassVar[tuple[str, ...]] = (
        "name", "reg_id", "vat_id", "emails", "phones", "address", "website", "note", "tags", "groups",
        "owner_id",
    )

    name: str = ""
    reg_id: str | None = None
    vat_id: str | None = None
    website: str | None = None

    @property
    def display_name(self) -> str:
        return self.name

    @property
    def link(self) -> str:
        return f"/api/v1/companies/{self.id}"

    def check(self) -> None:
        if not self.name:
            raise ContactRuleBroken({"name": ["A company needs a name."]})


ANONYMIZED_NAME = "Anonymized person"

KINDS: dict[str, type[Contact]] = {"person": Person, "company": Company}


def normalize(values: Mapping[str, Any]) -> dict[str, Any]:
    """Trim text, drop empty strings to None, and de-duplicate lists keeping their order."""
    result: dict[str, Any] = {}
    for name, value in values.items():
        if name in LIST_FIELDS:
            items = (str(item).strip() for item in (value or []))
            result[name] = list(dict.fromkeys(item for item in items if item))
        elif isinstance(value, str):
            result[name] = value.strip() or None
        elif isinstance(value, dict):
            cleaned = {key: str(item).strip() for key, item in value.items() if item and str(item).strip()}
            result[name] = cleaned or None
        else:
            result[name] = value
    return result


def new_contact(
    kind: str, values: Mapping[str, Any], *, id: str, actor_id: str, now: datetime
) -> Contact:
    """Create a valid new record of `kind`; the owner defaults to its creator."""
    data = normalize(values)
    data["owner_id"] = data.get("owner_id") or actor_id
    if "name" in KINDS[kind].editable:
        data.setdefault("name", "")
        data["name"] = data["name"] or ""
    contact = KINDS[kind](
        id=id, version=1, created_at=now, created_by=actor_id, updated_at=now, updated_by=actor_id, **data
    )
    contact.check()
    return contact
