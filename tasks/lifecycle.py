"""Tasks for the lifecycle stages."""

from __future__ import annotations

import datetime as dt

from prefect import task
from prefect.cache_policies import NO_CACHE

from inspectorate import operations, simulation
from inspectorate.lifecycle import Stage
from inspectorate.simulation import steps_for_day
from inspectorate.stages import StageOutcome
from tasks.retry import RETRIES, RETRY_DELAYS, transient_only


@task(
    name="apply-stage",
    cache_policy=NO_CACHE,
    retries=RETRIES,
    retry_delay_seconds=RETRY_DELAYS,
    retry_condition_fn=transient_only,
)
def apply_stage(
    inspection_id: int, stage: Stage, actor: str, why: str = "", now: dt.datetime | None = None
) -> StageOutcome:
    """Move the inspection one legal step and complete the stage's milestone."""
    return operations.apply_stage(
        inspection_id=inspection_id, stage=stage, actor=actor, why=why, now=now
    )


@task(name="people-act", cache_policy=NO_CACHE)
def people_act(day: dt.date, seed: int, now: dt.datetime | None = None) -> list[StageOutcome]:
    """Simulation only: take the steps the scripted team and bodies take on `day`."""
    outcomes = []
    for step in steps_for_day(operations.open_person_steps(), day, seed):
        why = f"simulated: {step.late_by} working days late" if step.late_by else "simulated"
        outcomes.append(
            operations.apply_stage(
                inspection_id=step.inspection_id,
                stage=step.stage,
                actor=step.actor,
                why=why,
                now=now,
            )
        )
    return outcomes


@task(name="next-person-day", cache_policy=NO_CACHE)
def next_person_day(after: dt.date, seed: int) -> dt.date | None:
    """Simulation only: the next day on which a scripted person acts."""
    return simulation.next_person_day(operations.open_person_steps(), after, seed)
