"""Planning the milestones of one inspection from its first fieldwork Monday."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pendulum

from inspectorate.domain.calendar import roll
from inspectorate.domain.errors import InvalidInput
from inspectorate.domain.lifecycle import Stage
from inspectorate.domain.programmes import ROOT_MILESTONE, MilestoneRule, ProgrammeDefinition


@dataclass(frozen=True, order=True)
class PlannedMilestone:
    """A milestone kind and the working day it falls due."""

    due: pendulum.Date
    kind: str
    rule: MilestoneRule


def plan_milestones(
    programme: ProgrammeDefinition, fieldwork_start: pendulum.Date
) -> list[PlannedMilestone]:
    """Return every milestone of an inspection in date order.

    Each milestone is its anchor's (already rolled) date plus the offset, rolled by its rule:
    the announcement backward (notice is never shortened), the others as configured.
    """
    if fieldwork_start.weekday() != 0:
        raise InvalidInput(
            f"fieldwork must start on a Monday; {fieldwork_start.isoformat()} is a "
            f"{fieldwork_start.format('dddd')}"
        )
    dates: dict[str, pendulum.Date] = {}
    for rule in programme.milestones:
        if rule.kind == ROOT_MILESTONE:
            unrolled = fieldwork_start
        else:
            assert rule.after is not None and rule.offset is not None  # checked by the model
            # Offsets from the fieldwork week count from its Monday, even when that Monday
            # is a bank holiday and the first fieldwork day rolls to the Tuesday.
            anchor = fieldwork_start if rule.after == ROOT_MILESTONE else dates[rule.after]
            unrolled = rule.offset.apply(anchor)
        dates[rule.kind] = roll(unrolled, rule.roll)
    planned = [PlannedMilestone(dates[r.kind], r.kind, r) for r in programme.milestones]
    return sorted(planned, key=lambda m: (m.due, programme.milestones.index(m.rule)))


def earliest_fieldwork_start(programme: ProgrammeDefinition, today: pendulum.Date) -> pendulum.Date:
    """Return the first Monday on or after `today` whose announcement is not yet past."""
    monday = today.add(days=(7 - today.weekday()) % 7)
    while True:
        planned = plan_milestones(programme, monday)
        if next(m for m in planned if m.rule.stage is Stage.ANNOUNCE).due >= today:
            return monday
        monday = monday.add(weeks=1)


# The days a date given by a person may name: the working-day calendar's reach and far more
# than any programme plans for. Past them date arithmetic overflows (9999-12-31 plus a week).
EARLIEST_DAY, LATEST_DAY = pendulum.date(1900, 1, 1), pendulum.date(2199, 12, 31)


def parse_date(text: str, *, what: str = "date") -> pendulum.Date:
    """Parse YYYY-MM-DD (1900 to 2199) or raise InvalidInput saying which value was wrong."""
    match = re.fullmatch(r"([0-9]{4})-([0-9]{2})-([0-9]{2})", text.strip())
    try:
        if match is None:
            raise ValueError(text)
        day = pendulum.date(*(int(part) for part in match.groups()))
    except ValueError:
        raise InvalidInput(f"{what} {text!r} is not a date like 2014-02-10 (YYYY-MM-DD)") from None
    if not EARLIEST_DAY <= day <= LATEST_DAY:
        raise InvalidInput(
            f"{what} {text.strip()!r} is outside the years the inspectorate plans for "
            f"({EARLIEST_DAY} to {LATEST_DAY})"
        )
    return day
