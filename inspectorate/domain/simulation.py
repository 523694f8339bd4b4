"""Scripted people for simulated time: when the team and the bodies do their steps.

Seeded and deterministic: the same seed gives the same timetable. Most steps are done on
or a little before their due date; some are late, so the rehearsal shows escalations.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from functools import lru_cache

import pendulum

from inspectorate.domain.calendar import add_working_days
from inspectorate.domain.lifecycle import Stage


@dataclass(frozen=True)
class OpenStep:
    """A step a person can take now: the inspection is in the status the stage starts from."""

    inspection_id: int
    milestone: str
    stage: Stage
    due_on: dt.date
    owner: str


@dataclass(frozen=True)
class PersonStep:
    """A step a person will take on a given day."""

    inspection_id: int
    stage: Stage
    on: pendulum.Date
    actor: str
    late_by: int


# Asked for every open step twice a simulated day: seeding a generator from text is the cost.
@lru_cache(maxsize=65536)
def _delay(seed: int, inspection_id: int, milestone: str) -> int | None:
    """Working days after the due date (negative = early); None = the person does nothing."""
    rng = random.Random(f"{seed}:{inspection_id}:{milestone}")
    roll = rng.random()
    if milestone == "comments_due":
        # Half the bodies comment before the window closes; the rest let it close.
        return rng.randint(-6, -2) if roll < 0.5 else None
    if roll < 0.7:
        # Fieldwork is recorded once it is over, never before its last day.
        return rng.randint(0, 1) if milestone == "fieldwork_end" else rng.randint(-2, 0)
    if roll < 0.9:
        return rng.randint(1, 3)
    return rng.randint(6, 8)


def planned_person_step(step: OpenStep, seed: int) -> PersonStep | None:
    """Return when a person takes `step` in this simulation, or None if nobody does."""
    delay = _delay(seed, step.inspection_id, step.milestone)
    if delay is None:
        return None
    actor = (
        "body" if step.owner == "body" or step.milestone == "comments_due" else "inspection-team"
    )
    return PersonStep(
        step.inspection_id, step.stage, add_working_days(step.due_on, delay), actor, max(delay, 0)
    )


def steps_for_day(open_steps: list[OpenStep], day: dt.date, seed: int) -> list[PersonStep]:
    """Return the person steps that fall on or before `day` (a late step is taken when due)."""
    planned = (planned_person_step(s, seed) for s in open_steps)
    return [p for p in planned if p is not None and p.on <= day]


def next_person_day(open_steps: list[OpenStep], after: dt.date, seed: int) -> pendulum.Date | None:
    """Return the first day after `after` on which someone takes a step."""
    days = [p.on for s in open_steps if (p := planned_person_step(s, seed)) and p.on > after]
    return min(days) if days else None
