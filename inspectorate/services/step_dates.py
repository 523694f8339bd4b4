"""The day a step may be dated: not before its milestone allows, nor before the last step.

A person's command dates a step by the clock, or by `--as-of` when it is recorded afterwards
(a back-fill). The history must read in order: a sample drawn before the announcement, or a
cancellation dated before the fieldwork it stopped, would make the audit trail and every view
of a past day (the timeline as of a date) say what never happened. So the command line asks
`check_after_last_step` before a step; the dashboard and the sweep act at the clock's now and
are not asked (a record whose steps were dated ahead, in a rehearsal, stays workable there).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import bindparam
from sqlmodel import Session, col, select

from inspectorate.adapters.models import AuditEvent, Milestone
from inspectorate.domain.errors import InvalidTransition
from inspectorate.domain.lifecycle import Stage
from inspectorate.domain.programmes import MilestoneRule
from inspectorate.services import context

# Built once: asked before every step a command takes. The index on (inspection_id, entity,
# at, id) finds the inspection's events in time order; only steps (an action named after a
# stage) count.
_LAST_STEP = (
    select(col(AuditEvent.at), col(AuditEvent.action))
    .where(
        col(AuditEvent.inspection_id) == bindparam("inspection_id"),
        col(AuditEvent.entity) == "inspection",
        col(AuditEvent.action).in_(sorted(stage.value for stage in Stage)),
    )
    .order_by(col(AuditEvent.at).desc(), col(AuditEvent.id).desc())
    .limit(1)
)


def check_after_last_step(session: Session, inspection_id: int, now: dt.datetime) -> None:
    """Refuse a step dated on a day before the inspection's last step was taken."""
    last = session.exec(_LAST_STEP, params={"inspection_id": inspection_id}).first()
    if last is None:
        return
    at, action = last
    # context.moment reads a naive moment (SQLite's) as UTC, as the record keeps it.
    last_day, day = context.moment(at).date(), context.moment(now).date()
    if day < last_day:
        raise InvalidTransition(
            f"inspection {inspection_id}'s last step ({action}) was taken on "
            f"{last_day.isoformat()}; a later step cannot be dated before it "
            f"({day.isoformat()}): date it on or after {last_day.isoformat()}"
        )


def check_not_too_early(
    session: Session, rule: MilestoneRule, inspection_id: int, now: dt.datetime
) -> None:
    """Refuse a step dated before the milestone it waits for (fieldwork before its start)."""
    if rule.not_before is None:
        return
    anchor = session.exec(
        select(Milestone).where(
            Milestone.inspection_id == inspection_id, Milestone.kind == rule.not_before
        )
    ).first()
    earliest = anchor.due_on if anchor is not None else None
    if earliest is not None and now.date() < earliest:
        raise InvalidTransition(
            f"{rule.label.lower()} cannot be recorded before {rule.not_before.replace('_', ' ')} "
            f"on {earliest.isoformat()} (today is {now.date().isoformat()}); record it on or "
            "after that day"
        )
