"""Working days in England and Wales: weekends and bank holidays (with substitute days).

Working-day arithmetic reads a precomputed, sorted index of working days (ordinals) with a
binary search, so adding ten working days or counting them across a year costs the same as
across a week. The index covers whole years and grows on demand; far outside the years an
inspectorate plans for (`_FIRST_YEAR`..`_LAST_YEAR`) the day-by-day walk answers instead.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left, bisect_right
from enum import StrEnum
from functools import lru_cache

import pendulum

from inspectorate.domain import bank_holiday_table

_FIRST_YEAR, _LAST_YEAR = 1900, 2200  # the index's widest reach; beyond, walk day by day
_MARGIN_YEARS = 5  # grow the index a little past the year asked for


class Roll(StrEnum):
    """What to do when a date lands on a weekend or bank holiday."""

    FORWARD = "forward"
    BACKWARD = "backward"
    NONE = "none"


@lru_cache(maxsize=1)
def _tabled() -> dict[int, dict[dt.date, str]]:
    """The generated table's holidays by year (importing `holidays` costs a third of a second)."""
    by_year: dict[int, dict[dt.date, str]] = {}
    for iso, name in bank_holiday_table.HOLIDAYS:
        day = dt.date.fromisoformat(iso)
        by_year.setdefault(day.year, {})[day] = name
    return by_year


@lru_cache(maxsize=64)
def _holidays_of(year: int) -> dict[dt.date, str]:
    """Every bank holiday of `year` with its name: from the table, or the package beyond it."""
    if bank_holiday_table.FIRST_YEAR <= year <= bank_holiday_table.LAST_YEAR:
        return _tabled().get(year, {})
    from holidays.countries.united_kingdom import UnitedKingdom

    return dict(UnitedKingdom(subdiv="ENG", years=year))


@lru_cache(maxsize=512)
def bank_holidays(year: int) -> frozenset[dt.date]:
    """Return the England-and-Wales bank holidays of `year` (both nations share them)."""
    return frozenset(_holidays_of(year))


def bank_holiday_name(day: dt.date) -> str | None:
    """Return the bank holiday's name for `day`, or None."""
    return _holidays_of(day.year).get(dt.date(day.year, day.month, day.day))


def is_working_day(day: dt.date) -> bool:
    """Return True unless `day` is a Saturday, Sunday or bank holiday."""
    plain = dt.date(day.year, day.month, day.day)
    return plain.weekday() < 5 and plain not in bank_holidays(plain.year)


def as_date(day: dt.date) -> pendulum.Date:
    """Return any date (stdlib or pendulum) as a pendulum Date."""
    if isinstance(day, pendulum.Date):
        return day
    return pendulum.date(day.year, day.month, day.day)


class _Index:
    """The working days of the years first..last as sorted ordinals (empty until first use)."""

    def __init__(self) -> None:
        self.first = self.last = 0  # years covered; none while first > last
        self.low = self.high = 0  # ordinals of 1 January `first` and 31 December `last`
        self.days: list[int] = []

    def covering(self, low: int, high: int) -> list[int] | None:
        """The index, grown to cover ordinals low..high; None beyond the index's reach."""
        if self.days and self.low <= low and high <= self.high:
            return self.days
        first = dt.date.fromordinal(max(low, 1)).year - _MARGIN_YEARS
        last = dt.date.fromordinal(min(high, dt.date.max.toordinal())).year + _MARGIN_YEARS
        if self.days:
            first, last = min(first, self.first), max(last, self.last)
        if first < _FIRST_YEAR - _MARGIN_YEARS or last > _LAST_YEAR + _MARGIN_YEARS:
            return None
        start, end = dt.date(first, 1, 1).toordinal(), dt.date(last, 12, 31).toordinal()
        off = {h.toordinal() for year in range(first, last + 1) for h in bank_holidays(year)}
        # 1 January of year 1 (ordinal 1) was a Monday: weekday = (ordinal - 1) % 7.
        self.days = [o for o in range(start, end + 1) if (o - 1) % 7 < 5 and o not in off]
        self.first, self.last, self.low, self.high = first, last, start, end
        return self.days


_INDEX = _Index()


def _same_kind(day: pendulum.Date, ordinal: int) -> pendulum.Date:
    """`ordinal` as a date of the kind `day` is (a pendulum DateTime keeps its time)."""
    if type(day) is pendulum.Date:
        return pendulum.Date.fromordinal(ordinal)
    return day.add(days=ordinal - day.toordinal())


def roll(day: dt.date, rule: Roll) -> pendulum.Date:
    """Move `day` to a working day by `rule` (forward, backward, or not at all)."""
    day = as_date(day)
    if rule is Roll.NONE:
        return day
    step = 1 if rule is Roll.FORWARD else -1
    while not is_working_day(day):
        day = day.add(days=step)
    return day


def add_working_days(day: dt.date, count: int) -> pendulum.Date:
    """Return the date `count` working days after (or, if negative, before) `day`."""
    day = as_date(day)
    if count == 0:
        return day
    here = day.toordinal()
    # A year holds at least 240 working days; reach that far, and grow again if short.
    reach = (abs(count) // 240 + 2) * 366
    days = _INDEX.covering(*((here, here + reach) if count > 0 else (here - reach, here)))
    if days is None:
        return _walk(day, count)
    # Forward: past the working days on or before `day`; back: from those strictly before.
    at = bisect_right(days, here) + count - 1 if count > 0 else bisect_left(days, here) + count
    if not 0 <= at < len(days):  # pragma: no cover - `reach` always suffices
        return _walk(day, count)
    return _same_kind(day, days[at])


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Count working days in (start, end]; negative when `end` is before `start`."""
    start, end = as_date(start), as_date(end)
    if end < start:
        return -working_days_between(end, start)
    low, high = start.toordinal(), end.toordinal()
    days = _INDEX.covering(low, high)
    if days is None:
        return _walk_between(start, end)
    return bisect_right(days, high) - bisect_right(days, low)


def _walk(day: pendulum.Date, count: int) -> pendulum.Date:
    """add_working_days by definition: step a day at a time, counting working days."""
    step = 1 if count >= 0 else -1
    remaining = abs(count)
    while remaining:
        day = day.add(days=step)
        if is_working_day(day):
            remaining -= 1
    return day


def _walk_between(start: pendulum.Date, end: pendulum.Date) -> int:
    """working_days_between by definition for start <= end: count each day in (start, end]."""
    count = 0
    day = start
    while day < end:
        day = day.add(days=1)
        if is_working_day(day):
            count += 1
    return count
