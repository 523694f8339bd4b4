"""The deadline sweep: run every morning (or for any date) — advance, remind, deliver."""

from __future__ import annotations

import datetime as dt

from prefect import flow

from flows.documents import DOCUMENT_FLOWS
from inspectorate.adapters import clock
from inspectorate.adapters.settings import get_settings
from inspectorate.domain.lifecycle import Stage
from inspectorate.services.sweep import SweepReport
from tasks.sweep import advance_due_milestones, claim_reminders, deliver_reminders
from tasks.timers import (
    book_stage_runs,
    start_waiting_for_comments,
    stop_waiting_for_comments,
)


def after_stage(inspection_id: int, stage: Stage, now: dt.datetime | None) -> None:
    """What follows a stage the sweep took: its documents, and in server mode its runs."""
    if stage in DOCUMENT_FLOWS:
        DOCUMENT_FLOWS[stage](inspection_id, "deadline-sweep", now)
    if not get_settings().server_timers:
        return
    if stage is Stage.ANNOUNCE:
        book_stage_runs(inspection_id, now)
    elif stage is Stage.SEND_DRAFT:
        start_waiting_for_comments(inspection_id)
    elif stage is Stage.CLOSE_COMMENTS:
        stop_waiting_for_comments(inspection_id)


@flow(name="deadline-sweep")
def deadline_sweep(as_of: dt.date | None = None, now: dt.datetime | None = None) -> SweepReport:
    """Advance what is due on `as_of` (default today), write the stages' documents, remind."""
    as_of = as_of or clock.today()
    report = advance_due_milestones(as_of, now)
    for inspection_id, stage in report.staged:
        after_stage(inspection_id, Stage(stage), now)
    report.claimed = claim_reminders(as_of, now)
    report.delivered = deliver_reminders(now)
    return report
