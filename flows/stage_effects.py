"""Carrying out what a stage owes (the outbox written with the stage), on every path.

The stage flows call `follow_stage` once a stage is done (the simulation `follow_stages` once
its people have acted); the deadline sweep calls `finish_owed_effects`, which carries out
everything still owed — its own stages' effects and any an earlier run left after a crash or
a failure. Every effect is idempotent,
and is marked done only once it has been carried out.
"""

from __future__ import annotations

import datetime as dt

from inspectorate.domain.stage_effects import Effect
from inspectorate.services.owed_effects import Owed
from tasks.documents import write_stage_documents
from tasks.owed_effects import effects_still_owed, mark_effect_done, record_effect_failure
from tasks.timers import cancel_booked_runs, start_waiting_for_comments, stop_waiting_for_comments


def carry_out(owed: Owed, actor: str, now: dt.datetime | None) -> None:
    """Carry out one owed effect and mark it done."""
    if owed.effect is Effect.DOCUMENTS:
        # Marked done in the same transaction that records the documents.
        write_stage_documents(owed.inspection_id, owed.stage, actor, now)
        return
    if owed.effect is Effect.RETIRE_BOOKED_RUNS:
        cancel_booked_runs(owed.inspection_id, "the daily sweep takes every automatic stage")
    elif owed.effect is Effect.AWAIT_COMMENTS:
        start_waiting_for_comments(owed.inspection_id)
    elif owed.effect is Effect.STOP_AWAITING_COMMENTS:
        stop_waiting_for_comments(owed.inspection_id)
    mark_effect_done(owed.inspection_id, owed.stage, owed.effect, now)


def follow_stage(inspection_id: int, actor: str, now: dt.datetime | None) -> None:
    """Carry out everything the inspection's stages still owe, oldest first.

    Called once a stage is done; an effect an earlier crash left owed is carried out too.
    """
    for owed in effects_still_owed(inspection_id):
        carry_out(owed, actor, now)


def follow_stages(inspection_ids: list[int], actor: str, now: dt.datetime | None) -> None:
    """`follow_stage` for several inspections at once: one read of the outbox, not one each.

    Their effects are carried out oldest first, as one `follow_stage` after another would.
    """
    wanted = set(inspection_ids)
    if not wanted:
        return
    for owed in effects_still_owed(None):
        if owed.inspection_id in wanted:
            carry_out(owed, actor, now)


def finish_owed_effects(
    actor: str, now: dt.datetime | None, inspection_ids: set[int] | None = None
) -> tuple[int, list[str]]:
    """Carry out every effect still owed (of these inspections, or all); (how many were done,
    the ones that failed and why)."""
    done, failed = 0, []
    for owed in effects_still_owed(None):
        if inspection_ids is not None and owed.inspection_id not in inspection_ids:
            continue
        try:
            carry_out(owed, actor, now)
        except Exception as error:  # one broken document must not stop every other inspection
            why = f"{type(error).__name__}: {error}"
            record_effect_failure(owed.inspection_id, owed.stage, owed.effect, why)
            failed.append(f"inspection {owed.inspection_id} {owed.effect.value}: {why}")
        else:
            done += 1
    return done, failed
