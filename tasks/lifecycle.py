"""Tasks for the lifecycle stages."""

from __future__ import annotations

import datetime as dt

from prefect import task
from prefect.cache_policies import NO_CACHE

from inspectorate.domain.lifecycle import Stage
from inspectorate.services import context, scheduling, stages
from inspectorate.services.stages import StageOutcome
from tasks.retry import RETRIES, RETRY_DELAYS, transient_only


@task(
    name="apply-stage",
    cache_policy=NO_CACHE,
    retries=RETRIES,
    retry_delay_seconds=RETRY_DELAYS,
    retry_condition_fn=transient_only,
)
def apply_stage(
    inspection_id: int,
    stage: Stage,
    actor: str,
    why: str = "",
    now: dt.datetime | None = None,
    if_ready: bool = False,
) -> StageOutcome:
    """Move the inspection one legal step and complete the stage's milestone."""
    return context.run(
        stages.apply_stage,
        inspection_id=inspection_id,
        stage=stage,
        actor=actor,
        why=why,
        now=now,
        if_ready=if_ready,
    )


@task(name="reschedule", cache_policy=NO_CACHE)
def reschedule(
    inspection_id: int,
    fieldwork_start: dt.date,
    why: str,
    actor: str,
    now: dt.datetime | None = None,
) -> tuple[dt.date, dt.date]:
    """Move the fieldwork and re-plan the open milestones; return (old, new) start."""
    return context.run(
        scheduling.reschedule,
        inspection_id=inspection_id,
        fieldwork_start=fieldwork_start,
        why=why,
        actor=actor,
        now=now,
    )
