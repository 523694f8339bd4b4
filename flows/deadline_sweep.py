"""The deadline sweep: run every morning (or for any date) — advance, remind, deliver."""

from __future__ import annotations

import datetime as dt

from prefect import flow

from flows.stage_effects import follow_stage
from inspectorate.adapters import clock
from inspectorate.domain.lifecycle import Stage
from inspectorate.services.sweep import ACTOR, SweepReport
from tasks.sweep import advance_due_milestones, send_reminders


def sweep_morning(as_of: dt.date, now: dt.datetime | None = None) -> SweepReport:
    """Advance what is due on `as_of`, carry out what follows each stage, remind, deliver.

    The body of the `deadline-sweep` flow, and each simulated morning's: one path for both.
    """
    report, reminded = advance_due_milestones(as_of, now)
    if reminded:
        return report
    for inspection_id, stage in report.staged:
        follow_stage(inspection_id, Stage(stage), ACTOR, now)
    report.claimed, report.delivered = send_reminders(as_of, now)
    return report


@flow(name="deadline-sweep")
def deadline_sweep(as_of: dt.date | None = None, now: dt.datetime | None = None) -> SweepReport:
    """Advance what is due on `as_of` (default today), write the stages' documents, remind."""
    return sweep_morning(as_of or clock.today(), now)
