"""Tasks for the deadline sweep: advance, claim reminders, deliver them."""

from __future__ import annotations

import datetime as dt

from prefect import task
from prefect.cache_policies import NO_CACHE

from inspectorate.services import sweep
from inspectorate.services.sweep import SweepReport
from tasks.retry import RETRIES, RETRY_DELAYS, transient_only


@task(
    name="advance-due-milestones",
    cache_policy=NO_CACHE,
    retries=RETRIES,
    retry_delay_seconds=RETRY_DELAYS,
    retry_condition_fn=transient_only,
)
def advance_due_milestones(as_of: dt.date, now: dt.datetime | None = None) -> SweepReport:
    """Perform every automatic milestone due on or before `as_of`."""
    return sweep.advance(as_of=as_of, now=now)


@task(
    name="claim-reminders",
    cache_policy=NO_CACHE,
    retries=RETRIES,
    retry_delay_seconds=RETRY_DELAYS,
    retry_condition_fn=transient_only,
)
def claim_reminders(as_of: dt.date, now: dt.datetime | None = None) -> int:
    """Claim the lead-time reminders and escalations owed on `as_of`."""
    return sweep.claim(as_of=as_of, now=now)


@task(
    name="deliver-reminders",
    cache_policy=NO_CACHE,
    retries=RETRIES,
    retry_delay_seconds=RETRY_DELAYS,
    retry_condition_fn=transient_only,
)
def deliver_reminders(now: dt.datetime | None = None) -> int:
    """Send every claimed reminder that has not been sent."""
    return sweep.deliver(now=now)
