"""The day a person may date a step (`--as-of`): never before the inspection's last step."""

from __future__ import annotations

import pytest

from inspectorate.domain.errors import InvalidTransition
from inspectorate.domain.lifecycle import Stage
from inspectorate.services import context, stages
from tests.factories import morning, schedule, take_step


@pytest.fixture
def announced(sqlite_database: str) -> int:
    """Scheduled on 25 November 2013, announced on 30 December 2013."""
    inspection_id = schedule(fieldwork_start="2014-03-17", on="2013-11-25")
    take_step(inspection_id, Stage.ANNOUNCE, morning("2013-12-30", 9))
    return inspection_id


def check(inspection_id: int, stage: Stage, day: str, hour: int = 9) -> None:
    """The check a command makes before it takes `stage` dated `day`."""
    context.run(
        stages.check_stage, inspection_id=inspection_id, stage=stage, now=morning(day, hour)
    )


def test_a_step_dated_before_the_last_step_is_refused(announced: int) -> None:
    with pytest.raises(InvalidTransition, match=r"last step \(announce\) was taken on 2013-12-30"):
        check(announced, Stage.CANCEL, "2013-12-20")
    with pytest.raises(InvalidTransition, match="date it on or after 2013-12-30"):
        check(announced, Stage.SELECT_SAMPLE, "2013-12-29")


def test_a_step_on_the_same_day_as_the_last_one_is_allowed(announced: int) -> None:
    check(announced, Stage.CANCEL, "2013-12-30", hour=6)  # earlier that day: the day counts


def test_the_day_is_london_s_not_utc_s(sqlite_database: str) -> None:
    # Announced at 00:30 on 1 July in London, which is still 30 June in UTC.
    inspection_id = schedule(fieldwork_start="2013-09-16", on="2013-05-01")
    take_step(inspection_id, Stage.ANNOUNCE, morning("2013-07-01", 0).add(minutes=30))
    with pytest.raises(InvalidTransition, match="taken on 2013-07-01"):
        check(inspection_id, Stage.CANCEL, "2013-06-30", hour=23)
