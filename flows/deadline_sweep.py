"""The deadline sweep: run every morning (or for any date) — advance, remind, deliver."""

from __future__ import annotations

import datetime as dt

from prefect import flow, get_run_logger
from prefect.runtime import flow_run

from flows.owed_batches import finish_morning_effects, workers_take_batches
from inspectorate.adapters import clock
from inspectorate.services import context
from inspectorate.services.sweep import ACTOR, SweepReport
from tasks.sweep import advance_due_milestones, send_reminders, sweep_whole_morning
from tasks.sweep_lease import holder_name, sweep_lease


def sweep_morning(
    as_of: dt.date, now: dt.datetime | None = None, withhold_before: dt.date | None = None
) -> SweepReport:
    """Advance what is due on `as_of`, finish every owed stage effect, remind, deliver.

    In server mode the documents owed go to the workers in batches (flows/owed_batches.py);
    without workers the morning is one task.

    The body of the `deadline-sweep` flow, and each simulated morning's: one path for both.
    """
    if not workers_take_batches():
        return sweep_whole_morning(as_of, now, withhold_before)  # one task: no batches
    report, reminded = advance_due_milestones(as_of, now, withhold_before)
    if reminded:
        return report
    report.finished, report.failed = finish_morning_effects(ACTOR, now)
    return send_reminders(report, now, withhold_before)


@flow(name="deadline-sweep")
def deadline_sweep(
    as_of: dt.date | None = None,
    now: dt.datetime | None = None,
    withhold_before: dt.date | None = None,
) -> SweepReport:
    """Advance what is due on `as_of` (default today), finish what stages owe, remind.

    Reminders for days before `withhold_before` are withheld (a back-fill sends no old mail).
    One sweep at a time, by a lease in the record: a second waits for the first to finish,
    supersedes one that died (once its lease expires), or leaves the day to one still going.
    """
    day = as_of or clock.today()
    with sweep_lease(holder_name(flow_run.get_id())) as lease:
        if lease.taken:
            return sweep_morning(day, now, withhold_before)
    why = f"another sweep ({lease.holder}) held the lease until {lease.expires_at.isoformat()}"
    get_run_logger().warning("Nothing done: %s", why)
    return SweepReport(as_of=context.day(day), skipped=why)
