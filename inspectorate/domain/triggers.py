"""Trigger rules: when low headline scores call for a reinspection or follow-up (pure)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Annotated, Literal

import pendulum
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from inspectorate.domain.errors import ConfigError, InvalidInput

_SPAN = re.compile(r"^\s*(\d+)\s+(day|days|week|weeks|month|months|year|years)\s*$")


class FollowUpKind(StrEnum):
    """What a rule starts."""

    REINSPECTION = "reinspection"
    FOLLOW_UP = "follow_up"


def parse_span(text: str) -> dict[str, int]:
    """Parse '12 months', '2 months', '6 weeks' into pendulum add() arguments."""
    match = _SPAN.match(text)
    if not match:
        raise ValueError(f"{text!r} is not a span like '12 months' or '6 weeks'")
    amount, unit = match.groups()
    return {unit.rstrip("s") + "s": int(amount)}


class TriggerRule(BaseModel):
    """One rule: which scores, below what, since when, and when the follow-up is due."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    name: str
    kind: FollowUpKind
    scores: tuple[str, ...] = ()
    below: Annotated[float, Field(ge=0, le=100)] | None = None
    when: Literal["any", "all"] = "any"
    effective_from: dt.date | None = None
    effective_until: dt.date | None = None
    due_after: str
    window: str = "0 days"
    programme: str | None = None
    covers: tuple[str, ...] = ()

    @field_validator("due_after", "window")
    @classmethod
    def _span(cls, value: str) -> str:
        parse_span(value)
        return value

    @model_validator(mode="after")
    def _consistent(self) -> TriggerRule:
        if self.below is not None and not self.scores:
            raise ValueError("a rule with 'below' needs the 'scores' it looks at")
        if self.below is None and self.scores:
            raise ValueError("a rule naming 'scores' needs a 'below' threshold")
        if (
            self.effective_from
            and self.effective_until
            and self.effective_until < self.effective_from
        ):
            raise ValueError("effective_until is before effective_from")
        return self

    def applies_on(self, published: dt.date) -> bool:
        """True when the original's publication date is inside the rule's dates (inclusive)."""
        return (self.effective_from is None or published >= self.effective_from) and (
            self.effective_until is None or published <= self.effective_until
        )


@dataclass(frozen=True)
class Decision:
    """Whether a follow-up is due, by which rule, when, and why."""

    due: bool
    rule: TriggerRule | None
    due_date: dt.date | None
    window_start: dt.date | None
    window_end: dt.date | None
    reason: str

    @property
    def kind(self) -> str | None:
        """The kind of follow-up, when one is due."""
        return self.rule.kind.value if self.rule else None


def _fires(rule: TriggerRule, scores: Mapping[str, float]) -> tuple[bool, str]:
    if rule.below is None:
        return True, "every inspection in the rule's dates is followed up"
    low = [s for s in rule.scores if scores[s] < rule.below]
    listing = ", ".join(f"{s} {scores[s]:g}" for s in rule.scores)
    fired = bool(low) if rule.when == "any" else len(low) == len(rule.scores)
    comparison = "below" if fired else "not all below" if rule.when == "all" else "none below"
    return fired, f"{listing}: {comparison} {rule.below:g}"


def evaluate(
    rules: Sequence[TriggerRule], scores: Mapping[str, float], published: dt.date
) -> Decision:
    """Return the first rule (in file order) that fires for these scores and date."""
    reasons = []
    for rule in rules:
        if not rule.applies_on(published):
            continue
        missing = [s for s in rule.scores if s not in scores]
        if missing:
            raise InvalidInput(
                f"rule {rule.name!r} needs score(s) {', '.join(missing)}, which were not given"
            )
        fired, reason = _fires(rule, scores)
        if fired:
            due = pendulum.date(published.year, published.month, published.day).add(
                **parse_span(rule.due_after)
            )
            spread = parse_span(rule.window)
            return Decision(
                True, rule, due, due.subtract(**spread), due.add(**spread), f"{rule.name}: {reason}"
            )
        reasons.append(f"{rule.name}: {reason}")
    why = "; ".join(reasons) if reasons else f"no rule applies to publication on {published}"
    return Decision(False, None, None, None, None, why)


def rules_from_toml(
    data: dict[str, object], *, where: str, produces: Collection[str] | None = None
) -> list[TriggerRule]:
    """Validate `[[trigger]]` rules parsed from TOML; with `produces`, check each named score."""
    unknown = set(data) - {"trigger", "programme"}
    if unknown:
        raise ConfigError(
            f"{where}: unknown key(s) {', '.join(sorted(unknown))}; expected [[trigger]] tables"
        )
    rules = []
    tables = data.get("trigger", [])
    for number, table in enumerate(tables if isinstance(tables, list) else [], start=1):
        try:
            rules.append(TriggerRule.model_validate(table))
        except ValidationError as exc:
            problems = "; ".join(
                f"{'.'.join(str(p) for p in e['loc']) or '(rule)'}: {e['msg']}"
                for e in exc.errors()
            )
            raise ConfigError(f"{where}: trigger {number}: {problems}") from exc
    if not rules:
        raise ConfigError(f"{where}: no [[trigger]] rules found")
    if produces is not None:
        for rule in rules:
            foreign = [s for s in rule.scores if s not in produces]
            if foreign:
                raise ConfigError(
                    f"{where}: trigger {rule.name!r} names score(s) {', '.join(foreign)}, which "
                    f"the programme does not produce (it produces {', '.join(sorted(produces))})"
                )
    return rules
