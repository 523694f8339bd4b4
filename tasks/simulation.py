"""Tasks that only simulations use: the scripted people."""

from __future__ import annotations

import datetime as dt

from prefect import task
from prefect.cache_policies import NO_CACHE

from inspectorate.services import people
from inspectorate.services.stages import StageOutcome


@task(name="people-act", cache_policy=NO_CACHE)
def people_act(day: dt.date, seed: int, now: dt.datetime | None = None) -> list[StageOutcome]:
    """Take the steps the scripted team and bodies take on `day`."""
    return people.people_act(day=day, seed=seed, now=now)


@task(name="next-eventful-day", cache_policy=NO_CACHE)
def next_eventful_day(after: dt.date, seed: int) -> dt.date | None:
    """Return the next day with anything due, or None when every inspection has closed."""
    return people.next_eventful_day(after=after, seed=seed)
