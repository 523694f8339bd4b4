"""Tasks that only simulations use: the scripted people."""

from __future__ import annotations

import datetime as dt

from prefect import task
from prefect.cache_policies import NO_CACHE

from inspectorate.services import people
from inspectorate.services.stages import StageOutcome
from tasks.owed_effects import carry_out_all

ACTOR = "simulation"  # who carries out what the scripted people's stages owe


@task(name="people-act", cache_policy=NO_CACHE)
def people_act(
    day: dt.date, seed: int, now: dt.datetime | None = None
) -> tuple[list[StageOutcome], dt.date | None]:
    """Take the steps the scripted team and bodies take on `day`, carry out what their stages
    owe (as every path that takes a stage does); then the next eventful day (None when every
    inspection has closed).

    One task, not three: a task costs milliseconds, paid on every simulated day. A failed
    effect fails the task, as it fails a stage's flow, and stays owed for the next sweep.
    """
    outcomes, next_day = people.act_then_look_ahead(day=day, seed=seed, now=now)
    moved = [outcome.inspection_id for outcome in outcomes if outcome.moved]
    if moved:
        carry_out_all(moved, ACTOR, now)
    return outcomes, next_day
