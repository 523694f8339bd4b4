"""Task for planning follow-ups."""

from __future__ import annotations

import datetime as dt

from prefect import task
from prefect.cache_policies import NO_CACHE

from inspectorate.domain.triggers import Decision
from inspectorate.services import context, evidence
from tasks.retry import RETRIES, RETRY_DELAYS, transient_only


@task(
    name="plan-reinspection",
    cache_policy=NO_CACHE,
    retries=RETRIES,
    retry_delay_seconds=RETRY_DELAYS,
    retry_condition_fn=transient_only,
)
def plan_reinspection(
    inspection_id: int, actor: str, now: dt.datetime | None = None
) -> tuple[Decision | None, int | None]:
    """Evaluate the trigger rules and plan the follow-up when one is due (idempotent)."""
    return context.run(
        evidence.plan_reinspection, inspection_id=inspection_id, actor=actor, now=now
    )


@task(name="decide-reinspection", cache_policy=NO_CACHE)
def decide_reinspection(inspection_id: int) -> Decision | None:
    """Whether the recorded scores call for a follow-up (nothing is planned here)."""
    with context.reading() as session:
        return evidence.reinspection_decision(session, inspection_id=inspection_id)
