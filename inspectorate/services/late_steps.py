"""A step the body is told of, taken after its day, moves what follows it: the body's time is
counted from when it had the document, not from the day it should have had it.

A draft held a week for its sign-off still leaves the body its whole comment window (the
sweep would otherwise close it the morning the draft went), and the publication and the
action plan follow it. Only later, never earlier; audited, with each date moved.
"""

from __future__ import annotations

import datetime as dt

import pendulum
from sqlalchemy import delete
from sqlmodel import Session, col, select

from inspectorate.adapters.models import Milestone, Reminder
from inspectorate.adapters.repository import record_audit
from inspectorate.domain.milestones import after_a_late_step
from inspectorate.domain.programmes import MilestoneRule, ProgrammeDefinition, Role
from inspectorate.domain.reminders import NOTICE


def follow_a_late_step(
    session: Session,
    programme: ProgrammeDefinition,
    milestone: Milestone,
    rule: MilestoneRule,
    *,
    now: pendulum.DateTime,
    actor: str,
) -> dict[str, pendulum.Date]:
    """Move the open milestones planned after `milestone`, just done on `now`'s day after its
    own, when the body is told of it; return each moved milestone's new date."""
    done_on = dt.date(now.year, now.month, now.day)
    if Role.BODY not in rule.notify or done_on <= milestone.due_on:
        return {}
    rows = {
        m.kind: m
        for m in session.exec(
            select(Milestone).where(Milestone.inspection_id == milestone.inspection_id)
        )
    }
    due = {kind: m.due_on for kind, m in rows.items()}
    open_kinds = {kind for kind, m in rows.items() if m.done_at is None}
    moved = after_a_late_step(programme, due, open_kinds, rule.kind, done_on)
    if not moved:
        return {}
    for kind, day in moved.items():
        rows[kind].due_on = day
        session.add(rows[kind])
    # Reminders claimed for the old dates and not sent yet would name them: claimed afresh.
    session.execute(
        delete(Reminder).where(
            col(Reminder.milestone_id).in_([rows[kind].id for kind in moved]),
            col(Reminder.sent_at).is_(None),
            col(Reminder.kind) != NOTICE,
        )
    )
    late = (done_on - milestone.due_on).days
    changes = "; ".join(
        f"{programme.rule(kind).label.lower()} from {_day(due[kind])} to {_day(day)}"
        for kind, day in moved.items()
    )
    record_audit(
        session,
        at=now,
        actor=actor,
        entity="inspection",
        entity_id=milestone.inspection_id,
        inspection_id=milestone.inspection_id,
        action="milestones_moved",
        why=(
            f"{rule.label} done on {_day(done_on)}, {late} day{'s' if late != 1 else ''} "
            f"after its day, so what follows it moves: {changes}"
        ),
    )
    return moved


def _day(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"
