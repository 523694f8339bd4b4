"""The indexed working-day arithmetic equals the day-by-day definition, everywhere.

The definitions below walk one day at a time asking `is_working_day`, as the calendar once
did. Dates run from before the index's reach (1900) to after it (2200), so both the index
(grown on demand) and the walk it falls back to are compared.
"""

from __future__ import annotations

import datetime as dt

import pendulum
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from inspectorate.domain import calendar
from inspectorate.domain.calendar import add_working_days, is_working_day, working_days_between

DATES = st.dates(min_value=dt.date(1890, 1, 1), max_value=dt.date(2215, 12, 31))
PLANNING_DATES = st.dates(min_value=dt.date(1995, 1, 1), max_value=dt.date(2045, 12, 31))
COUNTS = st.integers(min_value=-700, max_value=700)
EXAMPLES = settings(max_examples=300, deadline=None)


def added_by_definition(day: dt.date, count: int) -> dt.date:
    """Step a day at a time; each working day passed counts one."""
    step = 1 if count >= 0 else -1
    remaining = abs(count)
    while remaining:
        day += dt.timedelta(days=step)
        if is_working_day(day):
            remaining -= 1
    return day


def between_by_definition(start: dt.date, end: dt.date) -> int:
    """Count the working days in (start, end], negated when end is before start."""
    low, high = min(start, end), max(start, end)
    days = sum(is_working_day(low + dt.timedelta(days=n)) for n in range(1, (high - low).days + 1))
    return days if end >= start else -days


@pytest.fixture(autouse=True)
def fresh_index(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test builds its own index from its first date, so growth is exercised too."""
    monkeypatch.setattr(calendar, "_INDEX", calendar._Index())


@EXAMPLES
@given(day=DATES, count=COUNTS)
def test_add_working_days_equals_the_definition(day: dt.date, count: int) -> None:
    assert add_working_days(day, count) == added_by_definition(day, count)


@EXAMPLES
@given(start=DATES, span=st.integers(min_value=-900, max_value=900))
def test_working_days_between_equals_the_definition(start: dt.date, span: int) -> None:
    end = start + dt.timedelta(days=span)
    assert working_days_between(start, end) == between_by_definition(start, end)


@EXAMPLES
@given(day=PLANNING_DATES, count=st.integers(min_value=-30, max_value=30))
def test_common_cases_equal_the_definition_and_invert(day: dt.date, count: int) -> None:
    later = add_working_days(day, count)
    assert later == added_by_definition(day, count)
    if is_working_day(day):
        assert working_days_between(day, later) == count


@settings(max_examples=100, deadline=None)
@given(days=st.lists(DATES, min_size=2, max_size=5), count=COUNTS)
def test_the_index_grown_in_any_order_stays_right(days: list[dt.date], count: int) -> None:
    kept = calendar._INDEX
    calendar._INDEX = calendar._Index()  # built from this example's first date, then grown
    try:
        for day in days:  # each date may widen the index, before or after what it covers
            assert add_working_days(day, count) == added_by_definition(day, count)
            end = day + dt.timedelta(days=count)
            assert working_days_between(day, end) == between_by_definition(day, end)
    finally:
        calendar._INDEX = kept


def test_far_outside_the_index_the_walk_answers() -> None:
    year_1700 = (dt.date(1700, 1, 1).toordinal(), dt.date(1700, 12, 31).toordinal())
    assert calendar._INDEX.covering(*year_1700) is None
    assert add_working_days(pendulum.date(1700, 1, 1), 3) == added_by_definition(
        dt.date(1700, 1, 1), 3
    )
    assert working_days_between(pendulum.date(2300, 1, 1), pendulum.date(2300, 3, 1)) == (
        between_by_definition(dt.date(2300, 1, 1), dt.date(2300, 3, 1))
    )
    assert calendar._INDEX.days == []  # never built for dates it does not cover


def test_results_are_pendulum_dates_and_a_datetime_keeps_its_time() -> None:
    result = add_working_days(dt.date(2014, 12, 23), 2)
    assert type(result) is pendulum.Date and result == pendulum.date(2014, 12, 29)
    moment = add_working_days(pendulum.datetime(2014, 12, 23, 9, tz="Europe/London"), 2)
    assert moment == pendulum.datetime(2014, 12, 29, 9, tz="Europe/London")
