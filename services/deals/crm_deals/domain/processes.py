"""Sales processes: ordered stages, and the post-sale task templates named for won and lost."""
from __future__ import annotations

import uuid
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any, Mapping, Sequence

from crm_shared.changes import Change, created, diff

from crm_deals.domain.rules import DealRuleBroken, broken

DEFAULT_STAGES = ("Qualification", "Needs analysis", "Proposal", "Negotiation")


@dataclass(frozen=True)
class Stage:
    """One step of a sales process."""

    id: str
    name: str

    def as_dict(self) -> dict[str, str]:
        return {"id": self.id, "name": self.name}


@dataclass
class Process:
    """A sales process: its stages in order; removed stages keep their names for old deals."""

    id: str
    version: int
    name: str
    stages: list[Stage]
    created_at: datetime
    created_by: str
    updated_at: datetime
    updated_by: str
    won_task_template_id: str | None = None
    lost_task_template_id: str | None = None
    is_default: bool = False
    retired_stages: dict[str, str] = field(default_factory=dict)
    # the templates' names from the deals service's copy (None while pending); not stored with the process
    won_task_template_name: str | None = None
    lost_task_template_name: str | None = None

    editable = ("name", "stages", "won_task_template_id", "lost_task_template_id")
    #: what the audit log shows: the templates as {"id", "name"}, not as bare ids
    audited = ("name", "stages", "won_task_template", "lost_task_template")

    @property
    def link(self) -> str:
        return f"/api/v1/processes/{self.id}"

    @property
    def first_stage(self) -> Stage:
        return self.stages[0]

    def stage(self, stage_id: str | None) -> Stage | None:
        """Return the current stage with this id, or None."""
        return next((stage for stage in self.stages if stage.id == stage_id), None)

    def values(self) -> dict[str, Any]:
        """Return the audited fields as the audit log shows them (stages by name, templates as {"id", "name"})."""
        return {
            "name": self.name,
            "stages": [stage.name for stage in self.stages],
            "won_task_template": _template(self.won_task_template_id, self.won_task_template_name),
            "lost_task_template": _template(self.lost_task_template_id, self.lost_task_template_name),
        }

    def post_sale(self) -> dict[str, str | None]:
        """Return the ids of the task templates for a won and a lost deal (None when none)."""
        return {"won_task_template_id": self.won_task_template_id,
                "lost_task_template_id": self.lost_task_template_id}

    def state(self) -> dict[str, Any]:
        """Return the whole process as plain data."""
        return {
            "id": self.id, "version": self.version, "name": self.name,
            "stages": [stage.as_dict() for stage in self.stages],
            "won_task_template_id": self.won_task_template_id,
            "won_task_template_name": self.won_task_template_name,
            "lost_task_template_id": self.lost_task_template_id,
            "lost_task_template_name": self.lost_task_template_name,
            "is_default": self.is_default,
            "created_at": self.created_at.isoformat(), "created_by": self.created_by,
            "updated_at": self.updated_at.isoformat(), "updated_by": self.updated_by,
        }

    def creation_changes(self) -> list[Change]:
        """Return every set field as a change from nothing."""
        return created(self.values(), self.audited)

    def updated(
        self, patch: Mapping[str, Any], *, actor_id: str, now: datetime
    ) -> tuple["Process", list[Change], set[str]]:
        """Return the changed process, the field changes and the ids of the stages it removes."""
        values = {key: value for key, value in patch.items() if key != "stages"}
        for key in ("won_task_template", "lost_task_template"):
            if f"{key}_id" in values and f"{key}_name" not in values:
                same = values[f"{key}_id"] == getattr(self, f"{key}_id")
                values[f"{key}_name"] = getattr(self, f"{key}_name") if same else None
        stages, removed = self.stages, set[str]()
        if "stages" in patch:
            stages, removed = self._restaged(patch["stages"])
        retired = {**self.retired_stages, **{s.id: s.name for s in self.stages if s.id in removed}}
        proposed = replace(self, **values, stages=stages, retired_stages=retired)
        proposed.check()
        changes = diff(self.values(), proposed.values(), self.audited)
        if not changes and stages == self.stages:
            return self, [], set()
        return replace(proposed, version=self.version + 1, updated_at=now, updated_by=actor_id), changes, removed

    def _restaged(self, wanted: Sequence[Mapping[str, Any]]) -> tuple[list[Stage], set[str]]:
        """Apply a full stage list: known ids are kept (renamed, reordered), new ones added."""
        known = {stage.id for stage in self.stages}
        stages = []
        for index, item in enumerate(wanted):
            stage_id = item.get("id")
            if stage_id is not None and stage_id not in known:
                raise broken(f"stages.{index}.id", "No stage with this id in this process.")
            stages.append(Stage(stage_id or str(uuid.uuid4()), str(item["name"]).strip()))
        return stages, known - {stage.id for stage in stages}

    def check(self) -> None:
        """Raise DealRuleBroken when the process has no name, no stage or duplicate stages."""
        if not (self.name or "").strip():
            raise broken("name", "A process needs a name.")
        if not self.stages:
            raise broken("stages", "A process needs at least one stage.")
        names = [stage.name.casefold() for stage in self.stages]
        if any(not name for name in names):
            raise broken("stages", "Every stage needs a name.")
        if len(set(names)) != len(names) or len({s.id for s in self.stages}) != len(self.stages):
            raise DealRuleBroken({"stages": ["Stage names must be unique within a process."]})


def new_process(
    values: Mapping[str, Any], *, id: str, actor_id: str, now: datetime, is_default: bool = False
) -> Process:
    """Create a valid new process; stages come in order as names or {"name"} objects."""
    stages = [Stage(str(uuid.uuid4()), _stage_name(item)) for item in values.get("stages") or DEFAULT_STAGES]
    process = Process(
        id=id, version=1, name=str(values.get("name") or "").strip(), stages=stages,
        created_at=now, created_by=actor_id, updated_at=now, updated_by=actor_id,
        won_task_template_id=values.get("won_task_template_id"),
        lost_task_template_id=values.get("lost_task_template_id"),
        won_task_template_name=values.get("won_task_template_name"),
        lost_task_template_name=values.get("lost_task_template_name"),
        is_default=is_default,
    )
    process.check()
    return process


def _template(template_id: str | None, name: str | None) -> dict[str, str | None] | None:
    return {"id": template_id, "name": name} if template_id else None


def _stage_name(item: Any) -> str:
    return str(item["name"] if isinstance(item, Mapping) else item).strip()
