"""Moving an inspection and, in server mode, its booked stage runs with it."""

from __future__ import annotations

import datetime as dt

from prefect import flow

from inspectorate.adapters.settings import get_settings
from tasks.lifecycle import reschedule
from tasks.timers import book_stage_runs


@flow(name="reschedule-inspection")
def reschedule_inspection(
    inspection_id: int,
    fieldwork_start: dt.date,
    why: str,
    actor: str = "programme-manager",
    now: dt.datetime | None = None,
) -> tuple[dt.date, dt.date]:
    """Move the fieldwork, re-plan open milestones, and re-book the stage runs."""
    moved = reschedule(inspection_id, fieldwork_start, why, actor, now)
    if get_settings().server_timers:
        book_stage_runs(inspection_id, now)
    return moved
