"""The day a step may be dated: never before the inspection's last step (a back-fill)."""

from __future__ import annotations

import pytest

from inspectorate.domain.errors import InvalidTransition
from inspectorate.domain.lifecycle import Stage
from inspectorate.services import context, stages
from tests.factories import morning, schedule, status_of


@pytest.fixture
def announced(sqlite_database: str) -> int:
    """Scheduled on 25 November 2013, announced on 30 December 2013."""
    inspection_id = schedule(fieldwork_start="2014-03-17", on="2013-11-25")
    take(inspection_id, Stage.ANNOUNCE, "2013-12-30")
    return inspection_id


def take(inspection_id: int, stage: Stage, day: str, hour: int = 9) -> None:
    """Take `stage` as a person dating it `day`."""
    context.run(
        stages.apply_stage,
        inspection_id=inspection_id,
        stage=stage,
        actor="t",
        why="test",
        now=morning(day, hour),
    )


def test_a_step_dated_before_the_last_step_is_refused_and_changes_nothing(
    announced: int,
) -> None:
    with pytest.raises(InvalidTransition, match=r"last step \(announce\) was taken on 2013-12-30"):
        take(announced, Stage.CANCEL, "2013-12-20")
    assert status_of(announced) == "announced"


def test_the_check_before_a_flow_starts_refuses_it_too(announced: int) -> None:
    with pytest.raises(InvalidTransition, match="date it on or after 2013-12-30"):
        context.run(
            stages.check_stage,
            inspection_id=announced,
            stage=Stage.CANCEL,
            now=morning("2013-12-29"),
        )


def test_a_step_on_the_same_day_as_the_last_one_is_taken(announced: int) -> None:
    # Earlier in the day than the announcement (06:00 against 09:00): the day is what counts.
    take(announced, Stage.CANCEL, "2013-12-30", hour=6)
    assert status_of(announced) == "cancelled"


def test_the_day_is_london_s_not_utc_s(sqlite_database: str) -> None:
    # Announced at 00:30 on 1 July in London, which is still 30 June in UTC.
    inspection_id = schedule(fieldwork_start="2013-09-16", on="2013-05-01")
    context.run(
        stages.apply_stage,
        inspection_id=inspection_id,
        stage=Stage.ANNOUNCE,
        actor="t",
        why="test",
        now=morning("2013-07-01", 0).add(minutes=30),
    )
    with pytest.raises(InvalidTransition, match="taken on 2013-07-01"):
        take(inspection_id, Stage.CANCEL, "2013-06-30", hour=23)
