"""Working days in England and Wales: weekends and bank holidays (with substitute days)."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from functools import lru_cache

import holidays
import pendulum


class Roll(StrEnum):
    """What to do when a date lands on a weekend or bank holiday."""

    FORWARD = "forward"
    BACKWARD = "backward"
    NONE = "none"


@lru_cache(maxsize=64)
def bank_holidays(year: int) -> frozenset[dt.date]:
    """Return the England-and-Wales bank holidays of `year` (both nations share them)."""
    return frozenset(holidays.UnitedKingdom(subdiv="ENG", years=year).keys())


def bank_holiday_name(day: dt.date) -> str | None:
    """Return the bank holiday's name for `day`, or None."""
    names = holidays.UnitedKingdom(subdiv="ENG", years=day.year)
    return names.get(dt.date(day.year, day.month, day.day))


def is_working_day(day: dt.date) -> bool:
    """Return True unless `day` is a Saturday, Sunday or bank holiday."""
    plain = dt.date(day.year, day.month, day.day)
    return plain.weekday() < 5 and plain not in bank_holidays(plain.year)


def as_date(day: dt.date) -> pendulum.Date:
    """Return any date (stdlib or pendulum) as a pendulum Date."""
    if isinstance(day, pendulum.Date):
        return day
    return pendulum.date(day.year, day.month, day.day)


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
    step = 1 if count >= 0 else -1
    remaining = abs(count)
    while remaining:
        day = day.add(days=step)
        if is_working_day(day):
            remaining -= 1
    return day


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Count working days in (start, end]; negative when `end` is before `start`."""
    start, end = as_date(start), as_date(end)
    if end < start:
        return -working_days_between(end, start)
    count = 0
    day = start
    while day < end:
        day = day.add(days=1)
        if is_working_day(day):
            count += 1
    return count
