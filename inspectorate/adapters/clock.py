"""The one clock: `now` in Europe/London, swappable for a virtual clock in simulations."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Protocol

import pendulum

LONDON = "Europe/London"


class Clock(Protocol):
    """Anything that can tell the time."""

    def now(self) -> pendulum.DateTime:
        """Return the current time in Europe/London."""
        ...


class SystemClock:
    """The wall clock."""

    def now(self) -> pendulum.DateTime:
        """Return the wall-clock time in Europe/London."""
        return pendulum.now(LONDON)


class VirtualClock:
    """A clock that only moves when told to, so a programme can run in minutes."""

    def __init__(self, start: pendulum.DateTime) -> None:
        self._now = start.in_timezone(LONDON)

    def now(self) -> pendulum.DateTime:
        """Return the virtual time."""
        return self._now

    def set(self, moment: pendulum.DateTime) -> None:
        """Move the clock to `moment`; it never goes backwards."""
        moment = moment.in_timezone(LONDON)
        if moment < self._now:
            raise ValueError(f"the virtual clock cannot go back from {self._now} to {moment}")
        self._now = moment

    def advance_to_morning(self, day: dt.date, hour: int = 6) -> None:
        """Move the clock to `hour`:00 London time on `day`."""
        self.set(morning_of(day, hour))


_current: Clock = SystemClock()


def get_clock() -> Clock:
    """Return the clock in use."""
    return _current


def set_clock(clock: Clock) -> None:
    """Replace the clock in use (simulation, tests)."""
    global _current
    _current = clock


@contextmanager
def use_clock(clock: Clock) -> Iterator[Clock]:
    """Use `clock` inside the block, then restore the previous one."""
    previous = get_clock()
    set_clock(clock)
    try:
        yield clock
    finally:
        set_clock(previous)


def now() -> pendulum.DateTime:
    """Return the current time in Europe/London from the clock in use."""
    return _current.now().in_timezone(LONDON)


def today() -> pendulum.Date:
    """Return today's date in London (not UTC: 00:30 BST is still 'today' in London)."""
    return now().date()


def morning_of(day: dt.date, hour: int = 6) -> pendulum.DateTime:
    """Return `hour`:00 London time on `day`, with the right GMT/BST offset."""
    return pendulum.datetime(day.year, day.month, day.day, hour, tz=LONDON)
