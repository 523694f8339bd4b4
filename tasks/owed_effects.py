"""Tasks for the outbox: read what stages still owe, mark an effect done, count a failure."""

from __future__ import annotations

import datetime as dt

from prefect import task
from prefect.cache_policies import NO_CACHE

from inspectorate.domain.lifecycle import Stage
from inspectorate.domain.stage_effects import Effect
from inspectorate.services import context, owed_effects
from inspectorate.services.owed_effects import Owed
from tasks.retry import RETRIES, RETRY_DELAYS, transient_only


@task(
    name="effects-still-owed",
    cache_policy=NO_CACHE,
    retries=RETRIES,
    retry_delay_seconds=RETRY_DELAYS,
    retry_condition_fn=transient_only,
)
def effects_still_owed(inspection_id: int | None = None) -> list[Owed]:
    """Every effect a stage still owes (for one inspection, or all), oldest first."""
    with context.reading() as session:
        return owed_effects.still_owed(session, inspection_id=inspection_id)


@task(
    name="mark-effect-done",
    cache_policy=NO_CACHE,
    retries=RETRIES,
    retry_delay_seconds=RETRY_DELAYS,
    retry_condition_fn=transient_only,
)
def mark_effect_done(
    inspection_id: int, stage: Stage, effect: Effect, now: dt.datetime | None = None
) -> bool:
    """Mark an owed effect done once it has been carried out."""
    return context.run(
        owed_effects.mark_done,
        inspection_id=inspection_id,
        stage=stage,
        effect=effect,
        now=context.moment(now),
    )


@task(name="record-effect-failure", cache_policy=NO_CACHE)
def record_effect_failure(inspection_id: int, stage: Stage, effect: Effect, error: str) -> None:
    """Keep why an owed effect failed; it stays owed for the next sweep."""
    context.run(
        owed_effects.record_failure,
        inspection_id=inspection_id,
        stage=stage,
        effect=effect,
        error=error,
    )
