"""Tasks that only simulations use: the scripted people."""

from __future__ import annotations

import datetime as dt

from prefect import task
from prefect.cache_policies import NO_CACHE

from inspectorate.services import people
from inspectorate.services.stages import StageOutcome


@task(name="people-act", cache_policy=NO_CACHE)
def people_act(
    day: dt.date, seed: int, now: dt.datetime | None = None
) -> tuple[list[StageOutcome], dt.date | None]:
    """Take the steps the scripted team and bodies take on `day`; then the next eventful day
    (None when every inspection has closed).

    One task, not two: a task costs milliseconds, paid on every simulated day.
    """
    return people.act_then_look_ahead(day=day, seed=seed, now=now)
