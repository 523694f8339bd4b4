"""Moving an inspection; in server mode, stage runs booked ahead in older records are cancelled."""

from __future__ import annotations

import datetime as dt

from prefect import flow

from inspectorate.adapters.settings import get_settings
from tasks.lifecycle import reschedule
from tasks.timers import cancel_booked_runs


@flow(name="reschedule-inspection")
def reschedule_inspection(
    inspection_id: int,
    fieldwork_start: dt.date,
    why: str,
    actor: str = "programme-manager",
    now: dt.datetime | None = None,
) -> tuple[dt.date, dt.date]:
    """Move the fieldwork and re-plan open milestones (the sweep takes them on their new days).

    A stage run booked ahead for the old days (records from before the sweep drove every
    stage) would act on the wrong day: it is cancelled.
    """
    moved = reschedule(inspection_id, fieldwork_start, why, actor, now)
    if get_settings().server_timers:
        cancel_booked_runs(inspection_id, "the inspection was rescheduled")
    return moved
