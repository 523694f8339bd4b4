"""The deadline sweep: run every morning (or for any date) — advance, remind, deliver."""

from __future__ import annotations

import datetime as dt

from prefect import flow

from inspectorate import clock
from inspectorate.sweep import SweepReport
from tasks.sweep import advance_due_milestones, claim_reminders, deliver_reminders


@flow(name="deadline-sweep")
def deadline_sweep(as_of: dt.date | None = None, now: dt.datetime | None = None) -> SweepReport:
    """Advance what is due on `as_of` (default today), then claim and send the reminders."""
    as_of = as_of or clock.today()
    report = advance_due_milestones(as_of, now)
    report.claimed = claim_reminders(as_of, now)
    report.delivered = deliver_reminders(now)
    return report
