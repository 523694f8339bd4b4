"""Carrying out what a stage owes (the outbox written with the stage), on every path.

The stage flows call `follow_stage` once a stage is done; the deadline sweep with workers
(and its batches) calls `finish_owed_effects`, which carries out everything still owed — its
own stages' effects and any an earlier run left after a crash or a failure. Every effect is
idempotent, and is marked done only once it has been carried out. Each call is one task
(`carry-out-owed-effects`), however many effects it carries out; the sweep without workers
and the simulation's people do the same work (`tasks.owed_effects.carry_out_all`) inside
their own one task.
"""

from __future__ import annotations

import datetime as dt

from tasks.owed_effects import carry_out_owed_effects


def follow_stage(inspection_id: int, actor: str, now: dt.datetime | None) -> None:
    """Carry out everything the inspection's stages still owe, oldest first.

    Called once a stage is done; an effect an earlier crash left owed is carried out too.
    A failure fails the caller (the effect stays owed for the next sweep).
    """
    carry_out_owed_effects([inspection_id], actor, now)


def finish_owed_effects(
    actor: str, now: dt.datetime | None, inspection_ids: set[int] | None = None
) -> tuple[int, list[str]]:
    """Carry out every effect still owed (of these inspections, or all); (how many were done,
    the ones that failed and why). A failure is recorded and the rest go on."""
    wanted = None if inspection_ids is None else sorted(inspection_ids)
    return carry_out_owed_effects(wanted, actor, now, keep_going=True)
