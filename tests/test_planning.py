"""The programme planner: no constraint broken on any shipped programme."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pendulum
import pytest

from inspectorate.adapters.config_files import load_bodies, load_programmes
from inspectorate.domain.date_rules import Booked
from inspectorate.domain.planning import plan_programme, violations, week_is_usable
from inspectorate.domain.planning_rules import PlanningRule
from inspectorate.domain.programmes import ProgrammeDefinition
from inspectorate.domain.reference import BodyRecord

CONFIG = Path(__file__).resolve().parent.parent / "config"
PROGRAMMES = load_programmes(CONFIG / "programmes")
BODIES = load_bodies(CONFIG / "bodies")
STARTS = {
    "esi": "2003-04-01",
    "iaow": "2013-04-01",
    "cci": "2009-04-01",
    "apa": "2001-04-01",
    # OMI 2 began in September 2009 (seed 004 l.153-154), but config/bodies gives every trust
    # 1 April 2010 as its first day (README there): its plans here start with the trusts.
    "omi2": "2010-04-01",
}
# Trusts were replaced on 31 May 2014 (config/bodies/probation_trusts.csv valid_until), so
# IAOW (from 2013, two-year cycle) can plan them only in 2013/14: 20 fit its budget.
PLACED = {"iaow": 20}


def planned_by(code: str) -> tuple[ProgrammeDefinition, PlanningRule]:
    """A shipped programme and its planning rule."""
    programme = PROGRAMMES[code]
    assert programme.planning is not None
    return programme, programme.planning


def bodies_of(code: str) -> list[BodyRecord]:
    return [b for b in BODIES if b.kind.value == PROGRAMMES[code].body_kind]


@pytest.mark.parametrize("code", sorted(STARTS))
def test_every_shipped_programme_plans_every_body_without_breaking_a_rule(code: str) -> None:
    programme = PROGRAMMES[code]
    assert programme.planning is not None
    start = pendulum.parse(STARTS[code]).date()  # type: ignore[union-attr]
    plan = plan_programme(programme, programme.planning, bodies_of(code), start)
    assert violations(plan, programme, programme.planning, start) == []
    assert len(plan.placements) == PLACED.get(code, len(bodies_of(code)))
    assert len(plan.placements) + len(plan.unplaced) == len(bodies_of(code))


def test_the_planner_never_proposes_a_trust_in_2014_15() -> None:
    programme = PROGRAMMES["iaow"]
    assert programme.planning is not None
    plan = plan_programme(programme, programme.planning, bodies_of("iaow"), dt.date(2013, 4, 1))
    assert {p.year for p in plan.placements} == {"2013/14"}
    assert max(p.fieldwork_start for p in plan.placements) < dt.date(2014, 4, 1)
    assert plan.unplaced and all(
        reason.startswith("the yearly budget of 6000 hours has no room")
        and reason.endswith("in 2013/14, the only planning years its bodies exist in")
        for _, reason in plan.unplaced
    )
    later = plan_programme(programme, programme.planning, bodies_of("iaow"), dt.date(2014, 4, 1))
    assert later.placements == [] and len(later.unplaced) == 35
    assert later.unplaced[0][1] == (
        "Avon and Somerset exists from 2010-04-01 to 2014-05-31: throughout none of "
        "2014/15, 2015/16"
    )


def test_bodies_are_planned_only_in_years_they_exist_throughout() -> None:
    programme = PROGRAMMES["omi2"]
    assert programme.planning is not None
    plan = plan_programme(programme, programme.planning, bodies_of("omi2"), dt.date(2009, 4, 1))
    assert violations(plan, programme, programme.planning, dt.date(2009, 4, 1)) == []
    assert min(p.fieldwork_start for p in plan.placements) >= dt.date(2010, 4, 1)
    assert plan.unplaced and all("2010/11, 2011/12" in reason for _, reason in plan.unplaced)
    esi = PROGRAMMES["esi"]
    assert esi.planning is not None
    late = plan_programme(esi, esi.planning, bodies_of("esi"), dt.date(2009, 4, 1))
    assert {p.year for p in late.placements} == {"2009/10"}  # areas ended 31 March 2010


def test_esi_families_are_each_inspected_within_one_year() -> None:
    programme = PROGRAMMES["esi"]
    assert programme.planning is not None
    plan = plan_programme(programme, programme.planning, bodies_of("esi"), dt.date(2003, 4, 1))
    years = {p.body.family: set() for p in plan.placements if p.body.family}
    for p in plan.placements:
        if p.body.family:
            years[p.body.family].add(p.year)
    assert all(len(y) == 1 for y in years.values())


def test_the_hours_budget_leaves_bodies_unplaced_with_the_reason() -> None:
    programme = PROGRAMMES["iaow"]
    assert programme.planning is not None
    tight = programme.planning.model_copy(update={"hours_budget_per_year": 1500})
    plan = plan_programme(programme, tight, bodies_of("iaow"), dt.date(2013, 4, 1))
    assert plan.unplaced and all("yearly budget" in reason for _, reason in plan.unplaced)
    assert all(hours <= 1500 for hours in plan.hours_by_year.values())
    assert violations(plan, programme, tight, dt.date(2013, 4, 1)) == []


def test_capacity_leaves_bodies_unplaced_when_weeks_run_out() -> None:
    programme = PROGRAMMES["cci"]
    assert programme.planning is not None
    one_team_one_year = programme.planning.model_copy(
        update={
            "team_capacity": 1,
            "cycle_years": 1,
            "hours_budget_per_year": 1e6,
            "group_by": "none",
        }
    )
    plan = plan_programme(programme, one_team_one_year, bodies_of("cci"), dt.date(2009, 4, 1))
    assert len(plan.placements) < 54 and plan.unplaced
    assert all("no usable week" in reason for _, reason in plan.unplaced)
    assert violations(plan, programme, one_team_one_year, dt.date(2009, 4, 1)) == []


def test_notice_is_kept_from_the_planning_date() -> None:
    programme = PROGRAMMES["iaow"]
    assert programme.planning is not None
    plan = plan_programme(programme, programme.planning, bodies_of("iaow"), dt.date(2013, 9, 4))
    assert min(p.announcement for p in plan.placements) >= dt.date(2013, 9, 4)


@pytest.mark.parametrize(
    ("monday", "usable"),
    [
        ("2014-05-05", False),
        ("2014-04-14", False),
        ("2014-12-22", False),
        ("2014-12-29", False),
        ("2015-01-05", True),
        ("2014-12-15", True),
    ],
)
def test_weeks_with_bank_holidays_or_at_christmas_are_not_used(monday: str, usable: bool) -> None:
    rule = PlanningRule(hours_budget_per_year=1, hours_per_inspection=1)
    assert week_is_usable(pendulum.parse(monday).date(), rule) is usable  # type: ignore[union-attr]


def test_the_plan_is_the_same_every_time() -> None:
    programme = PROGRAMMES["cci"]
    assert programme.planning is not None
    first = plan_programme(programme, programme.planning, bodies_of("cci"), dt.date(2009, 4, 1))
    again = plan_programme(
        programme, programme.planning, bodies_of("cci")[::-1], dt.date(2009, 4, 1)
    )
    assert [(p.body.name, p.fieldwork_start) for p in first.placements] == [
        (p.body.name, p.fieldwork_start) for p in again.placements
    ]


@pytest.mark.usefixtures("prefect_server")
def test_a_simulation_is_the_same_for_the_same_seed(tmp_path: Path) -> None:
    from sqlmodel import Session, col, select

    from flows.simulate import simulate
    from inspectorate.adapters.models import AuditEvent, Score
    from inspectorate.services import context
    from inspectorate.services.demo import prepare_simulation

    def run(folder: str, seed: int) -> tuple[list[tuple[str, str, str]], list[float]]:
        prepare_simulation(
            "apa", tmp_path / folder, dt.date(2001, 4, 1), bodies=bodies_of("apa")[:4]
        )
        simulate(start=dt.date(2001, 4, 1), until=dt.date(2002, 3, 31), seed=seed)
        with Session(context.engine()) as session:
            steps = session.exec(
                select(AuditEvent.at, AuditEvent.action, AuditEvent.why)
                .where(AuditEvent.entity == "inspection")
                .order_by(col(AuditEvent.at), col(AuditEvent.id))
            ).all()
            scores = session.exec(
                select(Score.score)
                .where(Score.level == "headline")
                .order_by(col(Score.inspection_id))
            ).all()
        return [(str(a), b, c) for a, b, c in steps], [s or 0.0 for s in scores]

    first, again, other = run("a", 1), run("b", 1), run("c", 2)
    assert first == again
    assert first[1] and first[1] != other[1]


@pytest.mark.usefixtures("prefect_server")
@pytest.mark.parametrize("code", sorted(STARTS))
def test_every_programme_runs_end_to_end_in_simulation(code: str, tmp_path: Path) -> None:
    from sqlmodel import Session, select

    from flows.simulate import simulate
    from inspectorate.adapters.models import Inspection
    from inspectorate.services import context
    from inspectorate.services.demo import prepare_simulation

    start = pendulum.parse(STARTS[code]).date()  # type: ignore[union-attr]
    prepare_simulation(code, tmp_path / code, start, bodies=bodies_of(code)[:2])
    report = simulate(start=start, until=start.add(months=20), seed=1)
    with Session(context.engine()) as session:
        statuses = session.exec(
            select(Inspection.status).where(Inspection.kind == "inspection")
        ).all()
    assert len(statuses) == 2 and report.steps_by_people > 0
    assert set(statuses) <= {"published", "action_plan_received"}


def test_a_plan_around_the_record_keeps_its_bodies_weeks_and_leaves_its_teams_alone() -> None:
    programme, rule = planned_by("cci")
    start = dt.date(2009, 4, 1)
    blind = plan_programme(programme, rule, bodies_of("cci"), start)
    kept, other = blind.placements[0], blind.placements[1]
    moved = kept.fieldwork_start.add(weeks=2)
    record = [
        Booked("1", kept.body.name.upper(), moved),  # any case, as scheduling finds a body
        Booked("2", "Not In This Plan", other.fieldwork_start, follow_up=True),
    ]
    plan = plan_programme(programme, rule, bodies_of("cci"), start, record)
    assert violations(plan, programme, rule, start) == []
    (again,) = [p for p in plan.placements if p.body.name == kept.body.name]
    assert again.fieldwork_start == moved and again.hours == kept.hours  # kept, and counted
    assert plan.hours_by_year == blind.hours_by_year
    taken = {moved: 1, other.fieldwork_start: 1}  # the follow-up takes a team too
    for week, booked in taken.items():
        in_week = [p for p in plan.placements if week in p.weeks and p.body != kept.body]
        assert len(in_week) + booked <= rule.team_capacity
    assert len(plan.placements) + len(plan.unplaced) == len(bodies_of("cci"))


def test_a_plan_over_two_cycles_places_a_body_in_the_cycle_its_inspection_is_not_in() -> None:
    programme, rule = planned_by("cci")  # three-year cycles: 2009-12 and 2012-15
    start = dt.date(2010, 4, 1)  # 2010/11 and 2011/12 in the first, 2012/13 in the second
    before, after = bodies_of("cci")[0], bodies_of("cci")[1]
    record = [
        Booked("1", before.name, pendulum.date(2009, 6, 1)),  # before the plan's years
        Booked("2", after.name, pendulum.date(2013, 6, 3)),  # after them
    ]
    alone = plan_programme(programme, rule, [before], start, record)  # no group to follow
    assert [(p.body, p.year) for p in alone.placements] == [(before, "2012/13")]
    both_cycles = [  # an original in each cycle, outside the plan's years
        Booked("1", before.name, pendulum.date(2009, 6, 1)),
        Booked("2", before.name, pendulum.date(2013, 6, 3)),
    ]
    barred = plan_programme(programme, rule, [before], start, both_cycles)
    assert barred.placements == []
    assert barred.unplaced == [
        (before, "in the record already this cycle, fieldwork from 2009-06-01")
    ]
    # In a group (both are in London, which goes to one year) one of the two cannot go.
    plan = plan_programme(programme, rule, bodies_of("cci"), start, record)
    assert violations(plan, programme, rule, start) == []
    years = {p.body.name: p.year for p in plan.placements}
    assert years.get(before.name, "2012/13") == "2012/13"
    assert years.get(after.name, "2010/11") in {"2010/11", "2011/12"}
    unplaced = {b.name: why for b, why in plan.unplaced}
    assert len({before.name, after.name} & set(unplaced)) == 1
    assert len(plan.placements) + len(plan.unplaced) == len(bodies_of("cci"))


def test_a_body_is_not_planned_on_a_monday_another_of_its_rows_takes() -> None:
    programme, rule = planned_by("cci")
    start = dt.date(2009, 4, 1)
    blind = plan_programme(programme, rule, bodies_of("cci"), start)
    first = blind.placements[0]
    taken = {first.body.name.upper().casefold(): {first.fieldwork_start}}  # a follow-up there
    plan = plan_programme(programme, rule, bodies_of("cci"), start, (), taken)
    (again,) = [p for p in plan.placements if p.body == first.body]
    assert again.fieldwork_start != first.fieldwork_start


def test_a_plan_made_later_around_the_record_breaks_no_rule_by_what_it_kept() -> None:
    programme, rule = planned_by("iaow")
    first = plan_programme(programme, rule, bodies_of("iaow"), dt.date(2013, 11, 25))
    record = [
        Booked(str(n), p.body.name, p.fieldwork_start) for n, p in enumerate(first.placements)
    ]
    later = dt.date(2014, 1, 6)  # some kept ones were announced before this start
    plan = plan_programme(programme, rule, bodies_of("iaow"), later, record)
    assert sum(p.kept for p in plan.placements) == len(first.placements)
    assert violations(plan, programme, rule, later) == []
