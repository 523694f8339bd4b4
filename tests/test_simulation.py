"""Scripted people in simulated time."""

from __future__ import annotations

import pendulum

from inspectorate.domain.lifecycle import Stage
from inspectorate.domain.simulation import (
    OpenStep,
    next_person_day,
    planned_person_step,
    steps_for_day,
)

STEPS = [
    OpenStep(i, "scoring", Stage.SCORE, pendulum.date(2014, 2, 28), "team") for i in range(1, 40)
]


def test_the_same_seed_gives_the_same_timetable() -> None:
    assert [planned_person_step(s, 7) for s in STEPS] == [planned_person_step(s, 7) for s in STEPS]


def test_another_seed_gives_another_timetable() -> None:
    assert [planned_person_step(s, 7) for s in STEPS] != [planned_person_step(s, 8) for s in STEPS]


def test_most_people_are_on_time_and_some_are_late() -> None:
    late = [p for s in STEPS if (p := planned_person_step(s, 1)) and p.late_by > 0]
    assert 0 < len(late) < len(STEPS) / 2


def test_a_step_planned_for_the_past_is_taken_today() -> None:
    assert len(steps_for_day(STEPS, pendulum.date(2014, 4, 1), 1)) == len(STEPS)


def test_next_person_day_is_after_the_given_day() -> None:
    day = next_person_day(STEPS, pendulum.date(2014, 2, 26), 1)
    assert day is not None and day > pendulum.date(2014, 2, 26)


def test_some_bodies_let_the_comment_window_close() -> None:
    comments = [
        OpenStep(i, "comments_due", Stage.CLOSE_COMMENTS, pendulum.date(2014, 3, 21), "system")
        for i in range(1, 40)
    ]
    planned = [planned_person_step(s, 1) for s in comments]
    assert None in planned and any(p is not None and p.actor == "body" for p in planned)
