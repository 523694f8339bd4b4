"""Withholding reminders for days already past: marked, audited, never sent.

A back-fill of past days records what was owed without mailing people about it now; a late
announcement is never withheld (its day is the announcement's due date, told once, and it
asks the manager for a decision still needed).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pendulum
from sqlalchemy import BindParameter, ColumnElement, or_, update
from sqlmodel import Session, col, select

from inspectorate.adapters.database import utc
from inspectorate.adapters.models import Milestone, Reminder
from inspectorate.adapters.repository import record_audit
from inspectorate.domain.sign_off import LATE_ANNOUNCEMENT

NEVER_WITHHELD = (LATE_ANNOUNCEMENT,)
# A reminder still to send: neither sent nor withheld.
UNSENT = (col(Reminder.sent_at).is_(None), col(Reminder.withheld_at).is_(None))


def unleased(wall: dt.datetime | BindParameter[Any]) -> ColumnElement[bool]:
    """A reminder no delivery holds at `wall` (never leased, or its lease expired)."""
    return or_(col(Reminder.lease_until).is_(None), col(Reminder.lease_until) < wall)


def withhold_past_reminders(
    session: Session, *, before: dt.date, now: pendulum.DateTime, wall: dt.datetime, actor: str
) -> int:
    """Mark every unsent reminder for a day before `before` as withheld (audited); count them."""
    free = unleased(wall)
    withheld = 0
    rows = session.exec(
        select(Reminder, Milestone)
        .join(Milestone, col(Milestone.id) == Reminder.milestone_id)
        .where(*UNSENT, col(Reminder.remind_on) < before)
        .where(free, col(Reminder.kind).not_in(NEVER_WITHHELD))
        .order_by(col(Reminder.id))
    ).all()
    for reminder, milestone in rows:
        result = session.execute(
            update(Reminder)
            .where(col(Reminder.id) == reminder.id, *UNSENT)
            .where(free)
            .values(withheld_at=utc(now))
        )
        if result.rowcount != 1:  # type: ignore[attr-defined]
            continue  # another sweep sent or withheld it first
        assert reminder.id is not None
        record_audit(
            session,
            at=now,
            actor=actor,
            entity="reminder",
            entity_id=reminder.id,
            inspection_id=milestone.inspection_id,
            action="withheld",
            from_state="pending",
            to_state="withheld",
            why=f"{reminder.kind} for {milestone.kind} was for "
            f"{reminder.remind_on.isoformat()}, a day already past: not sent",
        )
        withheld += 1
    return withheld
