"""Programme definitions: the milestones of an inspection as offsets with a roll rule (TOML)."""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Annotated

import pendulum
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from inspectorate.domain.calendar import Roll
from inspectorate.domain.errors import ConfigError, UnknownProgramme
from inspectorate.domain.identity import Person
from inspectorate.domain.lifecycle import Stage
from inspectorate.domain.planning_rules import PlanningRule
from inspectorate.domain.sampling_rules import SamplingRule

ROOT_MILESTONE = "fieldwork_start"
"""The milestone every other one is planned from: the Monday of the first fieldwork week."""

_OFFSET = re.compile(r"^\s*([+-]?)\s*(\d+)\s+(day|days|week|weeks|month|months)\s*$")


class Role(StrEnum):
    """Who does a step or is told about it."""

    SYSTEM = "system"
    TEAM = "team"
    BODY = "body"
    MANAGER = "manager"


class Offset(BaseModel):
    """A signed calendar offset such as '-10 weeks' or '+4 days'."""

    model_config = ConfigDict(frozen=True)
    sign: int
    amount: int
    unit: str

    @classmethod
    def parse(cls, text: str) -> Offset:
        """Parse '[+|-]N days|weeks|months'."""
        match = _OFFSET.match(text)
        if not match:
            raise ValueError(f"offset {text!r} is not like '+3 weeks', '-10 weeks' or '+4 days'")
        sign, amount, unit = match.groups()
        return cls(sign=-1 if sign == "-" else 1, amount=int(amount), unit=unit.rstrip("s") + "s")

    def apply(self, day: pendulum.Date) -> pendulum.Date:
        """Return `day` moved by this offset (calendar arithmetic, month-end safe)."""
        return day.add(**{self.unit: self.sign * self.amount})

    def __str__(self) -> str:
        return f"{'-' if self.sign < 0 else '+'}{self.amount} {self.unit}"


class MilestoneRule(BaseModel):
    """How one milestone is planned, who owns it and who hears about it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")]
    label: str
    after: str | None = None
    offset: Offset | None = None
    roll: Roll = Roll.FORWARD
    stage: Stage | None = None
    owner: Role = Role.SYSTEM
    remind: tuple[Role, ...] = ()
    notify: tuple[Role, ...] = ()
    not_before: str | None = None

    @field_validator("offset", mode="before")
    @classmethod
    def _parse_offset(cls, value: object) -> object:
        return Offset.parse(value) if isinstance(value, str) else value

    @model_validator(mode="after")
    def _root_or_anchored(self) -> MilestoneRule:
        if self.kind == ROOT_MILESTONE:
            if self.after is not None or self.offset is not None:
                raise ValueError(f"{ROOT_MILESTONE} is the anchor; give it no 'after' or 'offset'")
        elif self.after is None or self.offset is None:
            raise ValueError(f"milestone {self.kind!r} needs both 'after' and 'offset'")
        return self

    @property
    def automatic(self) -> bool:
        """True when the deadline sweep performs this milestone itself when it falls due."""
        return self.owner is Role.SYSTEM


class ReminderPolicy(BaseModel):
    """When reminders go out: lead times before a due date, then escalation when overdue."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    lead_working_days: tuple[Annotated[int, Field(gt=0)], ...] = (10, 5, 1)
    escalate_every_working_days: Annotated[int, Field(gt=0)] = 5


class ProgrammeDefinition(BaseModel):
    """One inspection programme: which bodies, and the milestones of each inspection."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    code: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")]
    name: str
    body_kind: Annotated[str, Field(pattern=r"^(area|trust|yot)$")]
    description: str = ""
    source: str = ""
    reminders: ReminderPolicy = ReminderPolicy()
    sampling: SamplingRule | None = None
    planning: PlanningRule | None = None
    signatory: Person | None = None  # who signs its letters (the Chief Inspector when None)
    milestones: tuple[MilestoneRule, ...]

    @model_validator(mode="after")
    def _milestones_form_a_plan(self) -> ProgrammeDefinition:
        seen: set[str] = set()
        stages: set[Stage] = set()
        for rule in self.milestones:
            if rule.kind in seen:
                raise ValueError(f"milestone {rule.kind!r} is defined twice")
            if rule.after is not None and rule.after not in seen:
                raise ValueError(
                    f"milestone {rule.kind!r} is planned after {rule.after!r}, which must be "
                    "defined above it"
                )
            if rule.not_before is not None and rule.not_before not in seen:
                raise ValueError(
                    f"milestone {rule.kind!r} cannot be done before {rule.not_before!r}, which "
                    "must be defined above it"
                )
            if rule.stage is not None:
                if rule.stage in stages:
                    raise ValueError(f"stage {rule.stage.value!r} completes two milestones")
                stages.add(rule.stage)
            seen.add(rule.kind)
        if ROOT_MILESTONE not in seen:
            raise ValueError(f"a programme needs a {ROOT_MILESTONE!r} milestone")
        missing = {s for s in Stage if s is not Stage.CANCEL} - stages
        if missing:
            raise ValueError(
                "every lifecycle stage needs a milestone; missing: "
                + ", ".join(sorted(s.value for s in missing))
            )
        return self

    def rule(self, kind: str) -> MilestoneRule:
        """Return the rule for milestone `kind`."""
        for rule in self.milestones:
            if rule.kind == kind:
                return rule
        raise KeyError(kind)

    def milestone_for_stage(self, stage: Stage) -> MilestoneRule:
        """Return the milestone that `stage` completes."""
        for rule in self.milestones:
            if rule.stage is stage:
                return rule
        raise KeyError(stage)


def programme_from_toml(data: dict[str, object], *, where: str, code: str) -> ProgrammeDefinition:
    """Validate a programme parsed from TOML; errors name `where` and the field."""
    try:
        programme = ProgrammeDefinition.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc']) or '(top)'}: {err['msg']}"
            for err in exc.errors()
        )
        raise ConfigError(f"{where}: invalid programme: {problems}") from exc
    if programme.code != code:
        raise ConfigError(f"{where}: code {programme.code!r} must match the file name {code!r}")
    return programme


def find_programme(programmes: dict[str, ProgrammeDefinition], code: str) -> ProgrammeDefinition:
    """Return the programme with `code`, or raise UnknownProgramme listing the known ones."""
    try:
        return programmes[code.lower()]
    except KeyError:
        known = ", ".join(sorted(programmes))
        raise UnknownProgramme(f"unknown programme {code!r}; known programmes: {known}") from None


def rule_for(programmes: dict[str, ProgrammeDefinition], code: str, kind: str) -> MilestoneRule:
    """Return the rule for a stored milestone, or a ConfigError if the config lost it."""
    try:
        return programmes[code].rule(kind)
    except KeyError:
        raise ConfigError(
            f"the record has a {kind!r} milestone of programme {code!r}, but "
            f"config/programmes/{code}.toml does not define it; restore the definition"
        ) from None
