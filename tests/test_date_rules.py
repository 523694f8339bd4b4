"""The one rule set for fieldwork dates (pure: no database, no Prefect)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from inspectorate.adapters.config_files import load_bodies, load_programmes
from inspectorate.domain.date_rules import (
    Booked,
    DateRule,
    Problem,
    cycle_of,
    date_problems,
    refusal,
)
from inspectorate.domain.errors import InvalidInput, NoticeTooShort, Unschedulable
from inspectorate.domain.reference import BodyRecord

CONFIG = Path(__file__).resolve().parent.parent / "config"
PROGRAMMES = load_programmes(CONFIG / "programmes")
BODIES = {(b.kind.value, b.name): b for b in load_bodies(CONFIG / "bodies")}
IAOW, CCI = PROGRAMMES["iaow"], PROGRAMMES["cci"]
DTV = BODIES[("trust", "Durham Tees Valley")]
NORTH_LINCOLNSHIRE = BODIES[("yot", "North Lincolnshire")]
TODAY = dt.date(2013, 11, 25)
D = dt.date.fromisoformat


def rules(body: BodyRecord, start: str, **kwargs: object) -> list[DateRule]:
    programme = IAOW if body.kind.value == "trust" else CCI
    kwargs.setdefault("notice_from", TODAY)
    return [p.rule for p in date_problems(programme, body, D(start), **kwargs)]  # type: ignore[arg-type]


def test_a_good_monday_breaks_no_rule() -> None:
    assert date_problems(IAOW, DTV, D("2014-02-10"), notice_from=TODAY) == []


def test_fieldwork_starts_on_a_monday() -> None:
    (problem,) = date_problems(IAOW, DTV, D("2014-02-12"), notice_from=TODAY)
    assert problem.rule is DateRule.MONDAY
    assert "2014-02-12 is a Wednesday (that week's Monday is 2014-02-10)" in problem.message


@pytest.mark.parametrize(
    ("start", "holiday"),
    [
        ("2014-04-14", "Good Friday, 2014-04-18"),
        ("2014-05-05", "May Day, 2014-05-05"),
        ("2014-04-21", "Easter Monday, 2014-04-21"),
    ],
)
def test_no_fieldwork_week_has_a_bank_holiday(start: str, holiday: str) -> None:
    (problem,) = date_problems(IAOW, DTV, D(start), notice_from=TODAY)
    assert problem.rule is DateRule.HOLIDAY_WEEK and holiday in problem.message


def test_no_fieldwork_week_touches_the_christmas_break() -> None:
    problems = date_problems(CCI, NORTH_LINCOLNSHIRE, D("2013-12-16"), notice_from=D("2013-09-02"))
    assert [p.rule for p in problems] == [DateRule.HOLIDAY_WEEK]
    assert "Christmas break" in problems[0].message


def test_notice_is_counted_from_today_or_from_the_real_announcement() -> None:
    (today,) = date_problems(IAOW, DTV, D("2014-02-03"), notice_from=D("2013-11-26"))
    assert today.rule is DateRule.NOTICE
    assert "must be announced by 2013-11-25, which is before today (2013-11-26)" in today.message
    assert "the earliest Monday with full notice is 2014-02-10" in today.message
    (made,) = date_problems(IAOW, DTV, D("2014-02-03"), notice_from=D("2013-12-02"), announced=True)
    assert "but the inspection was announced on 2013-12-02" in made.message


def test_a_body_is_inspected_once_per_cycle_unless_it_is_a_follow_up() -> None:
    earlier = [Booked("7", "Durham Tees Valley", D("2013-10-07"))]
    (problem,) = date_problems(IAOW, DTV, D("2014-02-10"), notice_from=TODAY, others=earlier)
    assert problem.rule is DateRule.ONCE_PER_CYCLE
    assert problem.message == (
        "Durham Tees Valley already has IAOW inspection 7 with fieldwork from 2013-10-07 in "
        "this cycle (2013/14–2014/15); a second in the same cycle must be a follow-up of it, "
        "or go in another cycle (from 2015-04-01)"
    )
    assert rules(DTV, "2014-02-10", others=earlier, follow_up=True) == []
    followed = [Booked("8", "Durham Tees Valley", D("2013-10-07"), follow_up=True)]
    assert rules(DTV, "2014-02-10", others=followed) == []  # a follow-up is no first inspection


def test_cycles_are_counted_from_the_programmes_first_year() -> None:
    assert CCI.planning is not None
    assert cycle_of(CCI.planning, D("2012-03-31"))[0] == "2009/10–2011/12"
    assert cycle_of(CCI.planning, D("2012-04-01"))[0] == "2012/13–2014/15"
    other_cycle = [Booked("3", "North Lincolnshire", D("2011-02-14"))]
    assert rules(NORTH_LINCOLNSHIRE, "2014-02-17", others=other_cycle) == []


def test_a_week_at_team_capacity_is_refused() -> None:
    london = [Booked("3", "London", D("2014-02-10"))]  # IAOW: one team
    (problem,) = date_problems(IAOW, DTV, D("2014-02-10"), notice_from=TODAY, others=london)
    assert problem.rule is DateRule.TEAM_CAPACITY
    assert "the week of 2014-02-10 already has 1 inspection(s) in fieldwork (3)" in problem.message
    assert rules(DTV, "2014-02-17", others=london) == []
    two = [Booked("3", "Leeds", D("2014-02-17")), Booked("4", "Bury", D("2014-02-17"))]
    assert rules(NORTH_LINCOLNSHIRE, "2014-02-17", others=two[:1]) == []  # CCI: two teams
    assert rules(NORTH_LINCOLNSHIRE, "2014-02-17", others=two) == [DateRule.TEAM_CAPACITY]


def test_esi_second_fieldwork_week_counts_towards_capacity() -> None:
    esi = PROGRAMMES["esi"]
    area = BODIES[("area", "Kent")]
    weeks_later = [Booked(str(n), f"Area {n}", D("2004-01-05")) for n in range(2)]
    problems = date_problems(esi, area, D("2003-12-08"), notice_from=D("2003-06-02"))
    assert problems == []
    clash = date_problems(
        esi, area, D("2003-12-08"), notice_from=D("2003-06-02"), others=weeks_later
    )
    assert [p.rule for p in clash] == [DateRule.TEAM_CAPACITY]  # its week 2 is their week 1


def test_the_body_exists_on_every_fieldwork_day() -> None:
    assert rules(DTV, "2014-05-19") == []  # fieldwork ends Friday 23 May
    (problem,) = date_problems(IAOW, DTV, D("2014-06-02"), notice_from=TODAY)
    assert problem.rule is DateRule.BODY_EXISTS
    assert problem.message == (
        "Durham Tees Valley (trust) exists from 2010-04-01 to 2014-05-31; fieldwork from "
        "2014-06-02 to 2014-06-06 is outside that: choose fieldwork that ends by 2014-05-31"
    )
    early = date_problems(IAOW, DTV, D("2010-03-08"), notice_from=D("2009-12-01"))
    assert [p.rule for p in early] == [DateRule.BODY_EXISTS]
    assert "choose fieldwork from 2010-04-01 on" in early[0].message


def test_every_problem_is_reported_in_the_order_of_the_rules() -> None:
    london = [Booked("3", "London", D("2014-08-25"))]
    found = rules(DTV, "2014-08-25", notice_from=D("2014-07-01"), others=london)
    assert found == [
        DateRule.BODY_EXISTS,
        DateRule.HOLIDAY_WEEK,
        DateRule.NOTICE,
        DateRule.TEAM_CAPACITY,
    ]


@pytest.mark.parametrize(
    ("rule", "error"),
    [
        (DateRule.NOTICE, NoticeTooShort),
        (DateRule.TEAM_CAPACITY, Unschedulable),
        (DateRule.MONDAY, InvalidInput),
        (DateRule.BODY_EXISTS, InvalidInput),
        (DateRule.HOLIDAY_WEEK, InvalidInput),
        (DateRule.ONCE_PER_CYCLE, InvalidInput),
    ],
)
def test_a_refusal_is_the_first_problems_domain_error(
    rule: DateRule, error: type[Exception]
) -> None:
    raised = refusal([Problem(rule, "one"), Problem(DateRule.NOTICE, "two")])
    assert isinstance(raised, error) and str(raised) == "one\ntwo"
    assert raised.field == "fieldwork_start"
    assert refusal([]) is None


def test_a_refusal_is_at_most_three_lines() -> None:
    problems = [Problem(rule, rule.value) for rule in DateRule][1:]
    lines = str(refusal(problems)).splitlines()
    assert len(lines) == 3
    assert lines[2] == "and 3 more problems: notice, once per cycle, team capacity"
