"""Timers for server mode: each automatic stage still to come, as a run to book ahead.

When an inspection is announced in server mode, every automatic stage (draft, end of the
comment window, publication, …) is booked as a scheduled run of its deployment at 06:00
London time on its due day. The idempotency key names the inspection, the stage and the
day, so booking again books nothing new, and a rescheduled stage gets a fresh run while the
old one is cancelled. The daily sweep remains the safety net: whichever comes first does the
step, the other finds it done.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pendulum
from sqlmodel import Session, col, select

from inspectorate.adapters.clock import LONDON
from inspectorate.adapters.models import Milestone, Programme
from inspectorate.adapters.repository import get_inspection
from inspectorate.domain.lifecycle import FINAL_STATUSES, Stage
from inspectorate.services import context

TIMER_HOUR = 6


@dataclass(frozen=True)
class StageTimer:
    """One automatic stage to run on its due day."""

    inspection_id: int
    stage: Stage
    due_on: dt.date
    run_at: dt.datetime

    @property
    def key(self) -> str:
        """The idempotency key of the booked run: '<inspection>:<stage>:<due day>'."""
        return f"{self.inspection_id}:{self.stage.value}:{self.due_on.isoformat()}"


def timer_tag(inspection_id: int) -> str:
    """The tag every booked run of an inspection carries, to find them again."""
    return f"inspection:{inspection_id}"


def stage_timers(session: Session, *, inspection_id: int, now: dt.datetime) -> list[StageTimer]:
    """The inspection's open automatic stages due today or later, with when to run each."""
    at = pendulum.instance(now).in_timezone(LONDON)
    inspection = get_inspection(session, inspection_id=inspection_id)
    if inspection.status in FINAL_STATUSES:
        return []
    programme_row = session.get(Programme, inspection.programme_id)
    assert programme_row is not None
    milestones = session.exec(
        select(Milestone)
        .where(Milestone.inspection_id == inspection_id, col(Milestone.done_at).is_(None))
        .order_by(col(Milestone.due_on))
    ).all()
    programme = context.programmes()[programme_row.code]
    timers = []
    for milestone in milestones:
        rule = programme.rule(milestone.kind)
        if rule.stage is None or not rule.automatic or milestone.due_on < at.date():
            continue
        morning = pendulum.datetime(
            milestone.due_on.year,
            milestone.due_on.month,
            milestone.due_on.day,
            TIMER_HOUR,
            tz=LONDON,
        )
        timers.append(StageTimer(inspection_id, rule.stage, milestone.due_on, max(morning, at)))
    return timers
