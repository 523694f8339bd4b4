"""One rule set for the dates of an inspection's fieldwork (pure: values in, problems out).

Scheduling, rescheduling, the planner and the dashboard all ask `date_problems`, so a date
one of them accepts the others accept too. The rules:

- fieldwork starts on a Monday;
- the body exists on every fieldwork day (config/bodies valid_from/valid_until);
- no fieldwork week has a bank holiday or touches the programme's Christmas break;
- full notice: the announcement is not before `notice_from` (today, or the day it was made);
- a body is inspected once per cycle of the programme, unless this is a follow-up;
- no fieldwork week already has the programme's team capacity of inspections in fieldwork.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

import pendulum

from inspectorate.domain.calendar import as_date, bank_holiday_name
from inspectorate.domain.errors import (
    InspectorateError,
    InvalidInput,
    NoticeTooShort,
    Unschedulable,
)
from inspectorate.domain.lifecycle import Stage
from inspectorate.domain.milestones import earliest_fieldwork_start, plan_milestones
from inspectorate.domain.planning_rules import PlanningRule
from inspectorate.domain.programmes import ProgrammeDefinition
from inspectorate.domain.reference import BodyRecord

CYCLES_FROM = 2000
"""Cycles are counted from this year when a programme's [planning] has no first_year."""


class DateRule(StrEnum):
    """The rules a fieldwork date is checked against, in the order they are reported."""

    MONDAY = "Monday start"
    BODY_EXISTS = "body exists"
    HOLIDAY_WEEK = "no bank holiday week"
    NOTICE = "notice"
    ONCE_PER_CYCLE = "once per cycle"
    TEAM_CAPACITY = "team capacity"


@dataclass(frozen=True)
class Problem:
    """One rule a proposed date breaks: which, and what is wrong and how to fix it."""

    rule: DateRule
    message: str


@dataclass(frozen=True)
class Booked:
    """Another live inspection of the programme (in the record, or in a plan)."""

    ref: str  # how a message names it: the inspection's id, or the planned body
    body: str
    fieldwork_start: dt.date
    follow_up: bool = False


def monday_of(day: dt.date) -> pendulum.Date:
    """The Monday of `day`'s week."""
    day = as_date(day)
    return day.subtract(days=day.weekday())


def fieldwork_weeks(programme: ProgrammeDefinition, monday: dt.date) -> tuple[pendulum.Date, ...]:
    """The Mondays of every fieldwork week an inspection starting `monday` occupies."""
    planned = plan_milestones(programme, as_date(monday))
    starts = [
        m.due
        for m in planned
        if m.kind == "fieldwork_start"
        or (m.kind.startswith("fieldwork_week") and m.kind.endswith("_start"))
    ]
    return tuple(sorted({monday_of(d) for d in starts}))


def fieldwork_span(programme: ProgrammeDefinition, monday: dt.date) -> tuple[dt.date, dt.date]:
    """The first and the last fieldwork day of an inspection starting `monday`."""
    planned = plan_milestones(programme, as_date(monday))
    ends = [m.due for m in planned if m.kind.startswith("fieldwork") and m.kind.endswith("_end")]
    last = max(ends) if ends else fieldwork_weeks(programme, monday)[-1].add(days=4)
    return as_date(monday), last


def planning_years(
    rule: PlanningRule, start: dt.date
) -> list[tuple[str, pendulum.Date, pendulum.Date]]:
    """(label, first day, last day) of each planning year of the cycle, from `start`."""
    month, day = (int(x) for x in rule.year_starts.split("-"))
    first = pendulum.date(start.year, month, day)
    if first > start:
        first = first.subtract(years=1)
    years = []
    for n in range(rule.cycle_years):
        begin = first.add(years=n)
        label = (
            f"{begin.year}/{str(begin.year + 1)[-2:]}"
            if (month, day) != (1, 1)
            else str(begin.year)
        )
        years.append((label, begin, begin.add(years=1).subtract(days=1)))
    return years


def cycle_of(rule: PlanningRule, day: dt.date) -> tuple[str, pendulum.Date, pendulum.Date]:
    """(label, first day, last day) of the programme cycle `day` falls in."""
    month, start_day = (int(x) for x in rule.year_starts.split("-"))
    year = day.year if (day.month, day.day) >= (month, start_day) else day.year - 1
    anchor = CYCLES_FROM if rule.first_year is None else rule.first_year
    first_year = anchor + (year - anchor) // rule.cycle_years * rule.cycle_years
    years = planning_years(rule, pendulum.date(first_year, month, start_day))
    label = years[0][0] if len(years) == 1 else f"{years[0][0]}–{years[-1][0]}"
    return label, years[0][1], years[-1][2]


def holiday_problem(week: pendulum.Date, rule: PlanningRule | None) -> Problem | None:
    """A problem when the week of Monday `week` has a bank holiday or touches Christmas."""
    days = [week.add(days=n) for n in range(5)]
    named = [(d, bank_holiday_name(d)) for d in days]
    holidays = [f"{name}, {d.isoformat()}" for d, name in named if name]
    if holidays:
        return Problem(
            DateRule.HOLIDAY_WEEK,
            f"the fieldwork week of {week.isoformat()} has a bank holiday "
            f"({'; '.join(holidays)}); choose a week without one",
        )
    if rule is None:
        return None
    first, last = (tuple(int(x) for x in md.split("-")) for md in rule.christmas)
    if any((d.month, d.day) >= first or (d.month, d.day) <= last for d in days):
        return Problem(
            DateRule.HOLIDAY_WEEK,
            f"the fieldwork week of {week.isoformat()} falls in the Christmas break "
            f"({rule.christmas[0]} to {rule.christmas[1]}); choose another week",
        )
    return None


def week_problems(
    programme: ProgrammeDefinition,
    monday: dt.date,
    *,
    notice_from: dt.date,
    announced: bool = False,
    rule: PlanningRule | None = None,
) -> list[Problem]:
    """The problems of a fieldwork Monday whoever is inspected: Monday, holidays, notice."""
    start = as_date(monday)
    if start.weekday() != 0:
        return [
            Problem(
                DateRule.MONDAY,
                f"fieldwork must start on a Monday; {start.isoformat()} is a "
                f"{start.format('dddd')} (that week's Monday is {monday_of(start).isoformat()})",
            )
        ]
    rule = programme.planning if rule is None else rule
    problems = [
        p for w in fieldwork_weeks(programme, start) if (p := holiday_problem(w, rule)) is not None
    ]
    planned = plan_milestones(programme, start)
    due = next((m.due for m in planned if m.rule.stage is Stage.ANNOUNCE), None)
    if due is not None and due < notice_from:
        since = (
            f"but the inspection was announced on {notice_from.isoformat()}"
            if announced
            else f"which is before today ({notice_from.isoformat()})"
        )
        earliest = earliest_fieldwork_start(programme, as_date(notice_from))
        problems.append(
            Problem(
                DateRule.NOTICE,
                f"fieldwork from {start.isoformat()} must be announced by {due.isoformat()}, "
                f"{since}; the earliest Monday with full notice is {earliest.isoformat()}",
            )
        )
    return problems


def body_problem(
    programme: ProgrammeDefinition, body: BodyRecord, monday: dt.date
) -> Problem | None:
    """A problem when `body` does not exist on every fieldwork day, else None."""
    first, last = fieldwork_span(programme, monday)
    if body.exists_throughout(first, last):
        return None
    if body.valid_until is not None and last > body.valid_until:
        fix = f"choose fieldwork that ends by {body.valid_until.isoformat()}"
    else:
        assert body.valid_from is not None
        fix = f"choose fieldwork from {body.valid_from.isoformat()} on"
    return Problem(
        DateRule.BODY_EXISTS,
        f"{body.name} ({body.kind.value}) exists {body.lifetime()}; fieldwork from "
        f"{first.isoformat()} to {last.isoformat()} is outside that: {fix}",
    )


def _cycle_problem(
    programme: ProgrammeDefinition,
    rule: PlanningRule,
    body: BodyRecord,
    start: pendulum.Date,
    others: Sequence[Booked],
) -> Problem | None:
    label, first, last = cycle_of(rule, start)
    originals = sorted(
        (o for o in others if o.body == body.name and not o.follow_up),
        key=lambda o: o.fieldwork_start,
    )
    clash = next((o for o in originals if first <= o.fieldwork_start <= last), None)
    if clash is None:
        return None
    return Problem(
        DateRule.ONCE_PER_CYCLE,
        f"{body.name} already has {programme.code.upper()} inspection {clash.ref} with "
        f"fieldwork from {clash.fieldwork_start.isoformat()} in this cycle ({label}); a second "
        f"in the same cycle must be a follow-up of it, or go in another cycle (from "
        f"{last.add(days=1).isoformat()})",
    )


def capacity_window(programme: ProgrammeDefinition, day: dt.date) -> tuple[dt.date, dt.date]:
    """The fieldwork starts that can share a week with fieldwork starting in `day`'s week."""
    weeks = fieldwork_weeks(programme, monday_of(day))
    reach = (weeks[-1] - weeks[0]).days + 6
    return weeks[0].subtract(days=reach), weeks[-1].add(days=6)


def _capacity_problems(
    programme: ProgrammeDefinition,
    rule: PlanningRule,
    start: pendulum.Date,
    others: Sequence[Booked],
) -> list[Problem]:
    low, high = capacity_window(programme, start)
    near = [o for o in others if low <= o.fieldwork_start <= high]
    busy_weeks = {o.ref: fieldwork_weeks(programme, monday_of(o.fieldwork_start)) for o in near}
    problems = []
    for week in fieldwork_weeks(programme, start):
        busy = [ref for ref, weeks in busy_weeks.items() if week in weeks]
        if len(busy) >= rule.team_capacity:
            problems.append(
                Problem(
                    DateRule.TEAM_CAPACITY,
                    f"the week of {week.isoformat()} already has {len(busy)} inspection(s) in "
                    f"fieldwork ({', '.join(busy)}) and the team capacity is "
                    f"{rule.team_capacity}; choose a week with a team free",
                )
            )
    return problems


def date_problems(
    programme: ProgrammeDefinition,
    body: BodyRecord,
    fieldwork_start: dt.date,
    *,
    notice_from: dt.date,
    announced: bool = False,
    follow_up: bool = False,
    others: Sequence[Booked] = (),
    rule: PlanningRule | None = None,
) -> list[Problem]:
    """Every rule that fieldwork of `body` from `fieldwork_start` breaks (empty: it is fine).

    `others` are the programme's other live inspections (never the one being moved);
    `notice_from` is today, or the day the inspection was announced when `announced`.
    """
    start = as_date(fieldwork_start)
    rule = programme.planning if rule is None else rule
    problems = week_problems(
        programme, start, notice_from=notice_from, announced=announced, rule=rule
    )
    if problems and problems[0].rule is DateRule.MONDAY:
        return problems
    if (exists := body_problem(programme, body, start)) is not None:
        problems.insert(0, exists)
    if rule is not None:
        if not follow_up and (again := _cycle_problem(programme, rule, body, start, others)):
            problems.append(again)
        problems += _capacity_problems(programme, rule, start, others)
    return problems


def refusal(problems: Sequence[Problem]) -> InspectorateError | None:
    """The error to raise for `problems` (None when there are none), one line per problem.

    Its kind is the first problem's: NoticeTooShort, Unschedulable (team capacity), or
    InvalidInput naming the fieldwork start. At most three lines.
    """
    if not problems:
        return None
    lines = [p.message for p in problems]
    if len(lines) > 3:
        rest = ", ".join(p.rule.value for p in problems[2:])
        lines = [*lines[:2], f"and {len(problems) - 2} more problems: {rest}"]
    message = "\n".join(lines)
    first = problems[0].rule
    if first is DateRule.NOTICE:
        return NoticeTooShort(message, field="fieldwork_start")
    if first is DateRule.TEAM_CAPACITY:
        return Unschedulable(message, field="fieldwork_start")
    return InvalidInput(message, field="fieldwork_start")
