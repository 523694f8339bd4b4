"""Carrying out what a stage owes (the outbox written with the stage), on every path.

The stage flows call `follow_stage` once a stage is done (the simulation `follow_stages` once
its people have acted); the deadline sweep calls `finish_owed_effects`, which carries out
everything still owed — its own stages' effects and any an earlier run left after a crash or
a failure. Every effect is idempotent, and is marked done only once it has been carried out.
Each call is one task (`carry-out-owed-effects`), however many effects it carries out.
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


def follow_stages(inspection_ids: list[int], actor: str, now: dt.datetime | None) -> None:
    """`follow_stage` for several inspections at once: one read of the outbox, not one each.

    Their effects are carried out oldest first, as one `follow_stage` after another would.
    """
    if inspection_ids:
        carry_out_owed_effects(sorted(set(inspection_ids)), actor, now)


def finish_owed_effects(
    actor: str, now: dt.datetime | None, inspection_ids: set[int] | None = None
) -> tuple[int, list[str]]:
    """Carry out every effect still owed (of these inspections, or all); (how many were done,
    the ones that failed and why). A failure is recorded and the rest go on."""
    wanted = None if inspection_ids is None else sorted(inspection_ids)
    return carry_out_owed_effects(wanted, actor, now, keep_going=True)
