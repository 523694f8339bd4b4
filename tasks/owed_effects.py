"""Tasks for the outbox: read what stages still owe, and carry it out in one task a batch."""

from __future__ import annotations

import datetime as dt
from functools import partial

from prefect import task
from prefect.cache_policies import NO_CACHE

from inspectorate.domain.stage_effects import Effect
from inspectorate.services import context, documents, owed_effects
from inspectorate.services.owed_effects import Owed
from tasks.retry import RETRIES, RETRY_DELAYS, retrying, transient_only
from tasks.timers import cancel_booked_runs, start_waiting_for_comments, stop_waiting_for_comments


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


def carry_out_all(
    inspection_ids: list[int] | None,
    actor: str,
    now: dt.datetime | None = None,
    keep_going: bool = False,
) -> tuple[int, list[str]]:
    """Carry out every effect still owed (of these inspections, or all), oldest first.

    As a task (`carry_out_owed_effects`) one for the lot, not one an effect: a task costs
    milliseconds, and a busy morning owes hundreds of letters; tasks that do more call this
    directly. Each effect is its own unit of work, marked done only once carried out, and
    tried again after a locked database or a refused mail as a task's retries would. With
    `keep_going` a failed effect is recorded (it stays owed for the next sweep) and the rest
    go on; without, the failure is raised.

    Returns how many were carried out and the ones that failed, with why.
    """
    wanted = None if inspection_ids is None else set(inspection_ids)
    one = next(iter(wanted)) if wanted is not None and len(wanted) == 1 else None
    with context.reading() as session:
        owed = owed_effects.still_owed(session, inspection_id=one)
    done, failed = 0, []
    for effect in owed:
        if wanted is not None and effect.inspection_id not in wanted:
            continue
        try:
            retrying(partial(carry_out, effect, actor, now))
        except Exception as error:  # one broken document must not stop every other inspection
            if not keep_going:
                raise
            why = f"{type(error).__name__}: {error}"
            context.run(
                owed_effects.record_failure,
                inspection_id=effect.inspection_id,
                stage=effect.stage,
                effect=effect.effect,
                error=why,
            )
            failed.append(f"inspection {effect.inspection_id} {effect.effect.value}: {why}")
        else:
            done += 1
    return done, failed


carry_out_owed_effects = task(name="carry-out-owed-effects", cache_policy=NO_CACHE)(carry_out_all)


def carry_out(owed: Owed, actor: str, now: dt.datetime | None) -> None:
    """Carry out one owed effect and mark it done."""
    moment = context.moment(now)
    if owed.effect is Effect.DOCUMENTS:
        # Marked done in the same transaction that records the documents.
        context.run(
            documents.write_stage_documents,
            inspection_id=owed.inspection_id,
            stage=owed.stage,
            now=moment,
            actor=actor,
        )
        return
    if owed.effect is Effect.RETIRE_BOOKED_RUNS:
        cancel_booked_runs(owed.inspection_id, "the daily sweep takes every automatic stage")
    elif owed.effect is Effect.AWAIT_COMMENTS:
        start_waiting_for_comments(owed.inspection_id)
    elif owed.effect is Effect.STOP_AWAITING_COMMENTS:
        stop_waiting_for_comments(owed.inspection_id)
    context.run(
        owed_effects.mark_done,
        inspection_id=owed.inspection_id,
        stage=owed.stage,
        effect=owed.effect,
        now=moment,
    )
