"""Carrying out what follows a stage (inspectorate.domain.stage_effects), on every path.

The stage flows, the deadline sweep and the simulation call `follow_stage` once a stage is
done; it runs, in order, the effects the domain's table names for the way the product runs.
"""

from __future__ import annotations

import datetime as dt

from inspectorate.adapters.settings import get_settings
from inspectorate.domain.lifecycle import Stage
from inspectorate.domain.stage_effects import Effect, effects_of
from tasks.documents import write_stage_documents
from tasks.timers import book_stage_runs, start_waiting_for_comments, stop_waiting_for_comments


def follow_stage(inspection_id: int, stage: Stage, actor: str, now: dt.datetime | None) -> None:
    """Carry out every effect owed after `stage` (idempotent: safe to run again)."""
    for effect in effects_of(stage, server_mode=get_settings().server_timers):
        if effect is Effect.DOCUMENTS:
            write_stage_documents(inspection_id, stage, actor, now)
        elif effect is Effect.BOOK_STAGE_RUNS:
            book_stage_runs(inspection_id, now)
        elif effect is Effect.AWAIT_COMMENTS:
            start_waiting_for_comments(inspection_id)
        elif effect is Effect.STOP_AWAITING_COMMENTS:
            stop_waiting_for_comments(inspection_id)
