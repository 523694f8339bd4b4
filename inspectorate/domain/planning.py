"""Planning a programme: every body inspected once in its cycle, within notice, capacity,
the hours budget and the calendar; families or regions together in one planning year."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType

import pendulum

from inspectorate.domain.calendar import as_date
from inspectorate.domain.date_rules import (
    Booked,
    cycle_of,
    date_problems,
    fieldwork_span,
    fieldwork_weeks,
    holiday_problem,
    monday_of,
    planning_years,
    week_problems,
)
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
    kept: bool = False  # already in the record (placed where it is, not chosen by the planner)


@dataclass
class Plan:
    """A programme's plan: what was placed, what was not and why, and the hours per year."""

    placements: list[Placement] = field(default_factory=list)
    unplaced: list[tuple[BodyRecord, str]] = field(default_factory=list)
    hours_by_year: dict[str, float] = field(default_factory=dict)


def week_is_usable(monday: dt.date, rule: PlanningRule) -> bool:
    """False for a week with a bank holiday, or one touching the Christmas fortnight."""
    return holiday_problem(as_date(monday), rule) is None


def plan_programme(
    programme: ProgrammeDefinition,
    rule: PlanningRule,
    bodies: Sequence[BodyRecord],
    start: dt.date,
    record: Sequence[Booked] = (),
    taken: Mapping[str, Collection[dt.date]] = MappingProxyType({}),
) -> Plan:
    """Place every body once: groups to years by hours, then weeks spread through each year.

    A body goes only in a planning year it exists throughout (config/bodies valid_from and
    valid_until), and only in weeks that pass the date rules (domain/date_rules.py).
    `record` holds the programme's live inspections already booked around the plan (see
    `record_window`): their weeks take teams; a body with an original among them in the plan's
    years keeps it (placed there, its hours counted in that year) instead of a second, and one
    with an original outside them goes only in the plan's years of another cycle. `taken`
    holds the Mondays each body (by its name in any case) has another row on (a follow-up, a
    cancelled inspection): a new one cannot go there.
    """
    start = as_date(start)
    years = planning_years(rule, start)
    plan = Plan(hours_by_year={label: 0.0 for label, _, _ in years})
    load: dict[pendulum.Date, int] = defaultdict(int)
    for booked in record:
        for week in fieldwork_weeks(programme, monday_of(booked.fieldwork_start)):
            load[week] += 1
    kept, barred = _keep_booked(programme, rule, bodies, record, years, plan)
    avoid = {b.name: set(taken.get(b.name.strip().casefold(), ())) for b in bodies}
    # A group goes where its members kept from the record are, if the budget allows.
    kept_in = {
        getattr(p.body, rule.group_by): p.year
        for p in plan.placements
        if rule.group_by != "none" and getattr(p.body, rule.group_by)
    }
    groups: dict[str | None, list[BodyRecord]] = defaultdict(list)
    for body in sorted(bodies, key=lambda b: b.name):
        if body.name in kept:
            continue
        living = [label for label, begin, end in years if body.exists_throughout(begin, end)]
        if living and all(label in barred.get(body.name, {}) for label in living):
            plan.unplaced.append((body, barred[body.name][living[0]]))
            continue
        if not living:
            labels = ", ".join(label for label, _, _ in years)
            plan.unplaced.append(
                (body, f"{body.name} exists {body.lifetime()}: throughout none of {labels}")
            )
            continue
        key = None if rule.group_by == "none" else getattr(body, rule.group_by)
        groups[key].append(body)
    year_of: dict[str, list[BodyRecord]] = {label: [] for label, _, _ in years}
    named = sorted(((k, v) for k, v in groups.items() if k), key=lambda kv: (-len(kv[1]), kv[0]))
    loose = [(None, [b]) for b in groups.get(None, [])]
    for key, members in [*named, *loose]:
        need = sum(rule.hours_for(b) for b in members)
        room = {
            label: rule.hours_budget_per_year
            - plan.hours_by_year[label]  # the hours of inspections kept from the record
            - sum(rule.hours_for(b) for b in year_of[label])
            for label in year_of
        }
        living = [
            label
            for label, begin, end in years
            if all(b.exists_throughout(begin, end) for b in members)
            and (key is not None or label not in barred.get(members[0].name, {}))
        ]
        fitting = [label for label in living if room[label] >= need]
        if not fitting:
            why = (
                f"the yearly budget of {rule.hours_budget_per_year:g} hours "
                f"has no room for {need:g} more"
                if living
                else "its group's bodies exist together in none of the planning years"
            )
            if living and len(living) < len(years):
                why += f" in {', '.join(living)}, the only planning years its bodies exist in"
            plan.unplaced += [(b, why) for b in members]
            continue
        # Fewest members inspected this cycle already first (they cannot go), then the room.
        best = max(
            fitting,
            key=lambda label: (
                -sum(label in barred.get(b.name, {}) for b in members),
                room[label],
                -list(year_of).index(label),
            ),
        )
        chosen = kept_in[key] if kept_in.get(key) in fitting else best
        plan.unplaced += [
            (b, barred[b.name][chosen]) for b in members if chosen in barred.get(b.name, {})
        ]
        year_of[chosen].extend(b for b in members if chosen not in barred.get(b.name, {}))
    for label, begin, end in years:
        _place_year(
            programme,
            rule,
            year_of[label],
            label,
            (max(begin, start), end),
            load,
            plan,
            start,
            avoid,
        )
    plan.placements.sort(key=lambda p: (p.fieldwork_start, p.body.name))
    return plan


def record_window(rule: PlanningRule, start: dt.date) -> tuple[pendulum.Date, pendulum.Date]:
    """The fieldwork starts of inspections in the record that bear on a plan from `start`:
    the cycles its years fall in, and a month either side (weeks that share a team)."""
    years = planning_years(rule, as_date(start))
    first = cycle_of(rule, years[0][1])[1]
    last = cycle_of(rule, years[-1][2])[2]
    return first.subtract(months=1), last.add(months=1)


def _keep_booked(
    programme: ProgrammeDefinition,
    rule: PlanningRule,
    bodies: Sequence[BodyRecord],
    record: Sequence[Booked],
    years: Sequence[tuple[str, pendulum.Date, pendulum.Date]],
    plan: Plan,
) -> tuple[set[str], dict[str, dict[str, str]]]:
    """What the record's original inspections mean for each body: (the bodies placed where
    their original already is in the plan's years, the plan years barred to a body by an
    original outside them in the same cycle, with why)."""
    cycle_of_year = {label: cycle_of(rule, first)[0] for label, first, _ in years}
    originals: dict[str, list[pendulum.Date]] = defaultdict(list)
    for booked in sorted(record, key=lambda b: b.fieldwork_start):
        if not booked.follow_up:
            originals[booked.body.strip().casefold()].append(as_date(booked.fieldwork_start))
    kept: set[str] = set()
    barred: dict[str, dict[str, str]] = {}
    for body in bodies:
        for day in originals.get(body.name.strip().casefold(), ()):
            label = next((lb for lb, first, last in years if first <= day <= last), None)
            if label is None:  # before or after the plan's years: its cycle's years are taken
                cycle = cycle_of(rule, day)[0]
                why = f"in the record already this cycle, fieldwork from {day.isoformat()}"
                barred.setdefault(body.name, {}).update(
                    {lb: why for lb, c in cycle_of_year.items() if c == cycle}
                )
                continue
            hours = rule.hours_for(body)
            plan.hours_by_year[label] += hours
            if body.name in kept:
                continue  # a second original in the plan's years: its hours count, once shown
            kept.add(body.name)
            planned = plan_milestones(programme, day)
            announcement = next(m.due for m in planned if m.kind == "announcement")
            weeks = fieldwork_weeks(programme, monday_of(day))
            plan.placements.append(
                Placement(body, day, announcement, hours, label, weeks, kept=True)
            )
    return kept, barred


def _place_year(
    programme: ProgrammeDefinition,
    rule: PlanningRule,
    members: list[BodyRecord],
    label: str,
    span: tuple[pendulum.Date, pendulum.Date],
    load: dict[pendulum.Date, int],
    plan: Plan,
    planned_on: pendulum.Date,
    avoid: Mapping[str, Collection[dt.date]],
) -> None:
    if not members:
        return
    begin, end = span
    mondays = []
    monday = monday_of(begin).add(weeks=1) if begin.weekday() else begin
    while monday <= end:
        mondays.append(monday)
        monday = monday.add(weeks=1)
    candidates = []
    for monday in mondays:
        if week_problems(programme, monday, notice_from=planned_on, rule=rule):
            continue
        planned = plan_milestones(programme, monday)
        announcement = next(m.due for m in planned if m.kind == "announcement")
        first, last = fieldwork_span(programme, monday)
        candidates.append((monday, announcement, fieldwork_weeks(programme, monday), first, last))
    spacing = len(candidates) / len(members) if members else 0
    for index, body in enumerate(members):
        target = int(index * spacing)
        order = list(range(target, len(candidates))) + list(range(target))
        chosen = next(
            (
                candidates[i]
                for i in order
                if all(load[w] < rule.team_capacity for w in candidates[i][2])
                and body.exists_throughout(candidates[i][3], candidates[i][4])
                and candidates[i][0] not in avoid.get(body.name, ())  # another row of its own
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
        monday, announcement, weeks, _, _ = chosen
        for week in weeks:
            load[week] += 1
        hours = rule.hours_for(body)
        plan.hours_by_year[label] += hours
        plan.placements.append(Placement(body, monday, announcement, hours, label, weeks))


def violations(
    plan: Plan, programme: ProgrammeDefinition, rule: PlanningRule, start: dt.date
) -> list[str]:
    """Every rule the plan breaks (an empty list for a good plan); used to test the planner.

    Each placement is checked by the same date rules as scheduling it would be, against the
    plan's other placements, with notice from `start`; one kept from the record is checked
    only for being planned twice and for the budget.
    """
    problems: list[str] = []
    seen: set[str] = set()
    groups: dict[str, set[str]] = defaultdict(set)
    year_days = {label: (begin, end) for label, begin, end in planning_years(rule, as_date(start))}
    booked = [Booked(p.body.name, p.body.name, p.fieldwork_start) for p in plan.placements]
    for p in plan.placements:
        if p.body.name in seen:
            problems.append(f"{p.body.name} is planned twice")
        seen.add(p.body.name)
        if p.kept:
            continue  # in the record already, where it was decided; the others count it
        others = [b for b in booked if b.ref != p.body.name]
        problems += [
            f"{p.body.name}: {problem.message}"
            for problem in date_problems(
                programme, p.body, p.fieldwork_start, notice_from=start, others=others, rule=rule
            )
        ]
        if not p.body.exists_throughout(*year_days[p.year]):
            problems.append(f"{p.body.name} exists {p.body.lifetime()}, not throughout {p.year}")
        key = None if rule.group_by == "none" else getattr(p.body, rule.group_by)
        if key:
            groups[key].add(p.year)
    problems += [
        f"{year}: {hours:g} hours over the budget"
        for year, hours in plan.hours_by_year.items()
        if hours > rule.hours_budget_per_year
    ]
    problems += [
        f"{key} is split across {sorted(years)}" for key, years in groups.items() if len(years) > 1
    ]
    return problems
