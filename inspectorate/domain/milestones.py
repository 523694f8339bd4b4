"""Planning the milestones of one inspection from its first fieldwork Monday."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass

import pendulum

from inspectorate.domain.calendar import as_date, roll
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


def after_a_late_step(
    programme: ProgrammeDefinition,
    due: Mapping[str, dt.date],
    open_kinds: set[str],
    kind: str,
    done_on: dt.date,
) -> dict[str, pendulum.Date]:
    """The open milestones planned after `kind` that move when it was done on `done_on`, after
    its day: each keeps its offset from what it follows (rolled as planned), never earlier.

    A body's time is counted from when it had the document: a draft sent a week late still
    leaves the body its whole comment window, and the report's publication follows it.
    """
    dates = {k: as_date(d) for k, d in due.items()}
    dates[kind] = max(dates[kind], as_date(done_on))
    moved: dict[str, pendulum.Date] = {}
    for rule in programme.milestones:
        if rule.kind not in open_kinds or rule.after is None or not _follows(programme, rule, kind):
            continue
        assert rule.offset is not None  # checked by the model
        later = roll(rule.offset.apply(dates[rule.after]), rule.roll)
        if later > dates[rule.kind]:
            dates[rule.kind] = moved[rule.kind] = later
    return moved


def _follows(programme: ProgrammeDefinition, rule: MilestoneRule, kind: str) -> bool:
    """Whether `rule` is planned after `kind`, directly or through others."""
    after = rule.after
    while after is not None:
        if after == kind:
            return True
        after = programme.rule(after).after
    return False


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
