"""Tasks for the deadline sweep: advance what is due; claim and send the reminders owed."""

from __future__ import annotations

import datetime as dt
from functools import partial

from prefect import task
from prefect.cache_policies import NO_CACHE

from inspectorate.services import sweep
from inspectorate.services.sweep import SweepReport
from tasks.owed_effects import carry_out_all
from tasks.retry import RETRIES, RETRY_DELAYS, retrying, transient_only


@task(
    name="advance-due-milestones",
    cache_policy=NO_CACHE,
    retries=RETRIES,
    retry_delay_seconds=RETRY_DELAYS,
    retry_condition_fn=transient_only,
)
def advance_due_milestones(
    as_of: dt.date, now: dt.datetime | None = None, withhold_before: dt.date | None = None
) -> tuple[SweepReport, bool]:
    """Perform every automatic milestone due on or before `as_of`; say if it also reminded.

    On a morning when no stage was taken and no stage effect is owed (most mornings), the
    reminders are claimed and sent here too: one task a morning instead of two, which
    counts when a simulation runs hundreds of mornings.
    """
    report = sweep.advance(as_of=as_of, now=now)
    if report.staged or report.owed:
        return report, False
    return sweep.remind(report, now=now, withhold_before=withhold_before), True


@task(
    name="send-reminders",
    cache_policy=NO_CACHE,
    retries=RETRIES,
    retry_delay_seconds=RETRY_DELAYS,
    retry_condition_fn=transient_only,
)
def send_reminders(
    report: SweepReport, now: dt.datetime | None = None, withhold_before: dt.date | None = None
) -> SweepReport:
    """Claim the reminders and escalations owed on `as_of`, then send every unsent one.

    One task, not two: a task costs a few milliseconds, paid every simulated day, and both
    halves are safe to retry together (claims are keyed, sending is leased).
    """
    return sweep.remind(report, now=now, withhold_before=withhold_before)


@task(name="sweep-morning", cache_policy=NO_CACHE)
def sweep_whole_morning(
    as_of: dt.date, now: dt.datetime | None = None, withhold_before: dt.date | None = None
) -> SweepReport:
    """The whole morning in one task, where no workers take batches (a command, a simulation):
    advance what is due, carry out every effect still owed, claim and send the reminders.

    A task costs milliseconds, paid every simulated morning. Each part is tried again alone
    after a locked database or a refused mail (stages are taken once, effects marked done
    once carried out, claims are keyed, sending is leased), so a retry of the reminders keeps
    the report of the stages taken before it.
    """
    report = retrying(partial(sweep.advance, as_of=as_of, now=now))
    if report.staged or report.owed:
        report.finished, report.failed = carry_out_all(None, sweep.ACTOR, now, keep_going=True)
    return retrying(partial(sweep.remind, report, now=now, withhold_before=withhold_before))
