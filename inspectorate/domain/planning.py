"""Planning a programme: every body inspected once in its cycle, within notice, capacity,
the hours budget and the calendar; families or regions together in one planning year."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

import pendulum

from inspectorate.domain.calendar import as_date, bank_holidays
from inspectorate.domain.milestones import plan_milestones
from inspectorate.domain.planning_rules import PlanningRule
from inspectorate.domain.programmes import ProgrammeDefinition
from inspectorate.domain.reference import BodyRecord


@dataclass(frozen=True)
class Placement:
    """One planned inspection."""

    body: BodyRecord
    fieldwork_start: pendulum.Date
    announcement: pendulum.Date
    hours: float
    year: str
    weeks: tuple[pendulum.Date, ...]


@dataclass
class Plan:
    """A programme's plan: what was placed, what was not and why, and the hours per year."""

    placements: list[Placement] = field(default_factory=list)
    unplaced: list[tuple[BodyRecord, str]] = field(default_factory=list)
    hours_by_year: dict[str, float] = field(default_factory=dict)


def _monday(day: dt.date) -> pendulum.Date:
    day = as_date(day)
    return day.subtract(days=day.weekday())


def week_is_usable(monday: dt.date, rule: PlanningRule) -> bool:
    """False for a week with a bank holiday, or one touching the Christmas fortnight."""
    days = [as_date(monday).add(days=n) for n in range(5)]
    if any(d in bank_holidays(d.year) for d in days):
        return False
    first, last = (tuple(int(x) for x in md.split("-")) for md in rule.christmas)
    return not any((d.month, d.day) >= first or (d.month, d.day) <= last for d in days)


def fieldwork_weeks(
    programme: ProgrammeDefinition, monday: pendulum.Date
) -> tuple[pendulum.Date, ...]:
    """The Mondays of every fieldwork week an inspection starting `monday` occupies."""
    planned = plan_milestones(programme, monday)
    starts = [
        m.due
        for m in planned
        if m.kind == "fieldwork_start"
        or (m.kind.startswith("fieldwork_week") and m.kind.endswith("_start"))
    ]
    return tuple(sorted({_monday(d) for d in starts}))


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


def plan_programme(
    programme: ProgrammeDefinition,
    rule: PlanningRule,
    bodies: Sequence[BodyRecord],
    start: dt.date,
) -> Plan:
    """Place every body once: groups to years by hours, then weeks spread through each year."""
    start = as_date(start)
    years = planning_years(rule, start)
    plan = Plan(hours_by_year={label: 0.0 for label, _, _ in years})
    groups: dict[str | None, list[BodyRecord]] = defaultdict(list)
    for body in sorted(bodies, key=lambda b: b.name):
        key = None if rule.group_by == "none" else getattr(body, rule.group_by)
        groups[key].append(body)
    year_of: dict[str, list[BodyRecord]] = {label: [] for label, _, _ in years}
    named = sorted(((k, v) for k, v in groups.items() if k), key=lambda kv: (-len(kv[1]), kv[0]))
    loose = [(None, [b]) for b in groups.get(None, [])]
    for _key, members in [*named, *loose]:
        need = sum(rule.hours_for(b) for b in members)
        room = {
            label: rule.hours_budget_per_year - sum(rule.hours_for(b) for b in year_of[label])
            for label in year_of
        }
        fitting = [label for label in year_of if room[label] >= need]
        if not fitting:
            plan.unplaced += [
                (
                    b,
                    f"the yearly budget of {rule.hours_budget_per_year:g} hours "
                    f"has no room for {need:g} more",
                )
                for b in members
            ]
            continue
        best = max(fitting, key=lambda label: (room[label], -list(year_of).index(label)))
        year_of[best].extend(members)
    load: dict[pendulum.Date, int] = defaultdict(int)
    notice_from = start
    for label, begin, end in years:
        _place_year(
            programme, rule, year_of[label], label, max(begin, notice_from), end, load, plan, start
        )
    plan.placements.sort(key=lambda p: (p.fieldwork_start, p.body.name))
    return plan


def _place_year(
    programme: ProgrammeDefinition,
    rule: PlanningRule,
    members: list[BodyRecord],
    label: str,
    begin: pendulum.Date,
    end: pendulum.Date,
    load: dict[pendulum.Date, int],
    plan: Plan,
    planned_on: pendulum.Date,
) -> None:
    if not members:
        return
    mondays = []
    monday = _monday(begin).add(weeks=1) if begin.weekday() else begin
    while monday <= end:
        mondays.append(monday)
        monday = monday.add(weeks=1)
    candidates = []
    for monday in mondays:
        planned = plan_milestones(programme, monday)
        announcement = next(m.due for m in planned if m.kind == "announcement")
        weeks = fieldwork_weeks(programme, monday)
        if announcement >= planned_on and all(week_is_usable(w, rule) for w in weeks):
            candidates.append((monday, announcement, weeks))
    spacing = len(candidates) / len(members) if members else 0
    for index, body in enumerate(members):
        target = int(index * spacing)
        order = list(range(target, len(candidates))) + list(range(target))
        chosen = next(
            (
                candidates[i]
                for i in order
                if all(load[w] < rule.team_capacity for w in candidates[i][2])
            ),
            None,
        )
        if chosen is None:
            plan.unplaced.append(
                (
                    body,
                    f"no usable week in {label} with a team free (capacity {rule.team_capacity})",
                )
            )
            continue
        monday, announcement, weeks = chosen
        for week in weeks:
            load[week] += 1
        hours = rule.hours_for(body)
        plan.hours_by_year[label] += hours
        plan.placements.append(Placement(body, monday, announcement, hours, label, weeks))


def violations(
    plan: Plan, programme: ProgrammeDefinition, rule: PlanningRule, start: dt.date
) -> list[str]:
    """Every rule the plan breaks (an empty list for a good plan); used to test the planner."""
    problems: list[str] = []
    load: dict[pendulum.Date, int] = defaultdict(int)
    seen: set[str] = set()
    groups: dict[str, set[str]] = defaultdict(set)
    for p in plan.placements:
        if p.body.name in seen:
            problems.append(f"{p.body.name} is planned twice")
        seen.add(p.body.name)
        if p.announcement < as_date(start):
            problems.append(f"{p.body.name}: announced {p.announcement}, before {start}")
        if p.fieldwork_start.weekday() != 0:
            problems.append(f"{p.body.name}: fieldwork starts on a {p.fieldwork_start:%A}")
        for week in fieldwork_weeks(programme, p.fieldwork_start):
            load[week] += 1
            if not week_is_usable(week, rule):
                problems.append(
                    f"{p.body.name}: fieldwork in the week of {week}, a bank "
                    "holiday or Christmas week"
                )
        key = None if rule.group_by == "none" else getattr(p.body, rule.group_by)
        if key:
            groups[key].add(p.year)
    problems += [
        f"{n} inspections in fieldwork in the week of {w}"
        for w, n in load.items()
        if n > rule.team_capacity
    ]
    problems += [
        f"{year}: {hours:g} hours over the budget"
        for year, hours in plan.hours_by_year.items()
        if hours > rule.hours_budget_per_year
    ]
    problems += [
        f"{key} is split across {sorted(years)}" for key, years in groups.items() if len(years) > 1
    ]
    return problems
