"""What the sweep has to do on a day, found through indexes rather than by reading the record.

Open milestones are indexed by due date (only the open ones), so each question reads the
milestones it is about: those due by the day, those whose lead reminders have been reached
(at most a few weeks ahead), those overdue, and the first one of each kind ahead. Reminder
rules are worked out once per (programme, milestone kind, due date), not once per milestone.
Reads only; the caller owns the session.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import NamedTuple

import pendulum
from sqlalchemy import bindparam, tuple_
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import SelectOfScalar

from inspectorate.adapters.models import Inspection, Milestone, Programme, Reminder
from inspectorate.adapters.rows import plain_rows
from inspectorate.domain.body_mail import body_may_hear
from inspectorate.domain.calendar import add_working_days
from inspectorate.domain.lifecycle import FINAL_STATUSES, Status
from inspectorate.domain.programmes import ProgrammeDefinition, Role, rule_for
from inspectorate.domain.reminders import ReminderDue, next_reminder_day, reminder_due
from inspectorate.domain.sign_off import SIGN_OFFS

ACTIVE = [s.value for s in Status if s not in FINAL_STATUSES]
LEAD_HORIZON_DAYS = 60  # the furthest ahead a lead reminder is looked for (calendar days)
_OPEN = col(Milestone.done_at).is_(None)  # the condition of the open-milestone index
# "Not final" rather than "one of the active statuses": the same rows, but SQLite (which has
# no statistics) would use the status index for an IN list and visit every active inspection.
_ACTIVE = col(Inspection.status).not_in([s.value for s in FINAL_STATUSES])
_CHUNK = 500  # ids per IN list


def open_milestones(
    session: Session, *, due_by: dt.date
) -> list[tuple[Milestone, Inspection, str]]:
    """Open milestones of active inspections due by `due_by`, with the programme's code.

    In due order (due date, inspection, milestone). The milestones are read through the
    open-milestone index alone, then their inspections by key: a join would let PostgreSQL,
    which cannot tell that open milestones are rarely overdue, read every inspection.
    """
    milestones = session.exec(select(Milestone).where(_OPEN, col(Milestone.due_on) <= due_by))
    due = list(milestones)
    active = _active_inspections(session, {m.inspection_id for m in due})
    rows = [(m, *active[m.inspection_id]) for m in due if m.inspection_id in active]
    return sorted(rows, key=lambda row: (row[0].due_on, row[1].id or 0, row[0].id or 0))


def _active_inspections(session: Session, ids: set[int]) -> dict[int, tuple[Inspection, str]]:
    """The inspections among `ids` neither closed nor cancelled, with the programme's code."""
    found: dict[int, tuple[Inspection, str]] = {}
    for chunk in _chunks(ids):
        for inspection, code in session.exec(
            select(Inspection, Programme.code)
            .join(Programme, col(Programme.id) == Inspection.programme_id)
            .where(col(Inspection.id).in_(chunk), _ACTIVE)
        ):
            assert inspection.id is not None
            found[inspection.id] = (inspection, code)
    return found


class _Due(NamedTuple):
    """An open milestone of an active inspection, as the reminder rules need it."""

    milestone_id: int
    inspection_id: int
    kind: str
    due_on: dt.date
    body_id: int
    code: str
    status: str


def _open_due(session: Session, *, due_by: dt.date) -> list[_Due]:
    """`open_milestones` as plain rows (no objects): the claim reads thousands of them."""
    milestones = plain_rows(session, _OPEN_DUE, {"due_by": due_by})
    active: dict[int, tuple[int, str, str]] = {}
    for chunk in _chunks({inspection_id for _m, inspection_id, _k, _d in milestones}):
        for inspection_id, body_id, code, status in plain_rows(session, _ACTIVE_OF, {"ids": chunk}):
            assert inspection_id is not None
            active[inspection_id] = (body_id, code, status)
    rows = [
        _Due(milestone_id, inspection_id, kind, due_on, *active[inspection_id])
        for milestone_id, inspection_id, kind, due_on in milestones
        if milestone_id is not None and inspection_id in active
    ]
    return sorted(rows, key=lambda row: (row.due_on, row.inspection_id, row.milestone_id))


# Built once: the claim asks them every morning.
_OPEN_DUE = select(
    col(Milestone.id), col(Milestone.inspection_id), col(Milestone.kind), col(Milestone.due_on)
).where(_OPEN, col(Milestone.due_on) <= bindparam("due_by"))
_ACTIVE_OF = (
    select(col(Inspection.id), col(Inspection.body_id), col(Programme.code), col(Inspection.status))
    .join(Programme, col(Programme.id) == Inspection.programme_id)
    .where(col(Inspection.id).in_(bindparam("ids", expanding=True)), _ACTIVE)
)


def _chunks(ids: set[int]) -> list[list[int]]:
    ordered = sorted(ids)
    return [ordered[start : start + _CHUNK] for start in range(0, len(ordered), _CHUNK)]


@dataclass(frozen=True)
class OwedReminder:
    """A reminder an open milestone needs on a day and nobody has claimed yet."""

    milestone_id: int
    milestone_kind: str
    due_on: dt.date
    inspection_id: int
    body_id: int
    code: str
    owed: ReminderDue


def lead_horizon(as_of: pendulum.Date, programmes: dict[str, ProgrammeDefinition]) -> dt.date:
    """The last due date whose lead reminders can have been reached on `as_of`.

    A lead of L working days is reached on `as_of` exactly when the milestone is due no later
    than L working days after it, so nothing due beyond the longest lead can need one.
    """
    leads = [lead for p in programmes.values() for lead in p.reminders.lead_working_days]
    furthest = add_working_days(as_of, max(leads)) if leads else as_of
    return min(furthest, as_of.add(days=LEAD_HORIZON_DAYS))


def unclaimed_reminders(
    session: Session, *, as_of: pendulum.Date, programmes: dict[str, ProgrammeDefinition]
) -> list[OwedReminder]:
    """Every lead-time reminder and escalation owed on `as_of` not yet claimed, in due order.

    The order is the sweep's: due date, inspection, milestone.
    """
    due = _open_due(session, due_by=lead_horizon(as_of, programmes))
    claimed = {
        (milestone_id, kind, remind_on.toordinal())
        for chunk in _chunks({row.milestone_id for row in due})
        for milestone_id, kind, remind_on in session.exec(
            select(col(Reminder.milestone_id), col(Reminder.kind), col(Reminder.remind_on)).where(
                col(Reminder.milestone_id).in_(chunk)
            )
        )
    }
    rules: dict[tuple[str, str, dt.date], ReminderDue | None] = {}
    unclaimed = []
    for row in due:
        key = (row.code, row.kind, row.due_on)
        if key not in rules:
            rule = rule_for(programmes, row.code, row.kind)
            rules[key] = reminder_due(rule, programmes[row.code].reminders, row.due_on, as_of)
        owed = rules[key]
        if owed is None or (row.milestone_id, owed.kind, owed.remind_on.toordinal()) in claimed:
            continue
        if Role.BODY in owed.roles and not body_may_hear(
            programmes[row.code], row.kind, row.status
        ):
            # Not told yet (not announced, the draft held): the others are reminded; a reminder
            # for the body alone waits, and the day's latest goes once it has been told.
            owed = replace(owed, roles=tuple(r for r in owed.roles if r is not Role.BODY))
            if not owed.roles:
                continue
        unclaimed.append(
            OwedReminder(
                row.milestone_id,
                row.kind,
                row.due_on,
                row.inspection_id,
                row.body_id,
                row.code,
                owed,
            )
        )
    return unclaimed


def next_day_with_work(
    session: Session, *, after: pendulum.Date, programmes: dict[str, ProgrammeDefinition]
) -> dt.date | None:
    """The next day after `after` on which an open milestone falls due or needs a reminder.

    The first due date ahead; for each lead time, the first milestone ahead whose lead day is
    still to come (lead days rise with due dates); and each overdue milestone's next
    escalation (a held step is reminded every working day).
    """
    days = [d for d in [_first_due(session, after=after)] if d is not None]
    for lead in sorted({n for p in programmes.values() for n in p.reminders.lead_working_days}):
        reminded = [
            (code, rule.kind)
            for code, p in programmes.items()
            if lead in p.reminders.lead_working_days
            for rule in p.milestones
            if rule.remind
        ]
        if not reminded:
            continue
        due = _first_due(session, after=add_working_days(after, lead), only=tuple(reminded))
        if due is not None:
            days.append(add_working_days(due, -lead))
    overdue = {(row.code, row.kind, row.due_on) for row in _open_due(session, due_by=after)}
    for code, kind, due_on in sorted(overdue):
        rule = rule_for(programmes, code, kind)
        escalation = next_reminder_day(rule, programmes[code].reminders, due_on, after)
        if escalation is not None:
            days.append(escalation)
        if rule.stage in SIGN_OFFS:
            days.append(add_working_days(after, 1))  # a held step is reminded daily
    return min(days) if days else None


def _first_due(
    session: Session, *, after: dt.date, only: tuple[tuple[str, str], ...] | None = None
) -> dt.date | None:
    """The first due date after `after` of an open milestone of an active inspection (of
    the (programme, milestone kind) pairs `only`, when given)."""
    first = plain_rows(session, _first_due_query(only), {"after": after})
    return first[0][0] if first else None


@lru_cache(maxsize=32)
def _first_due_query(only: tuple[tuple[str, str], ...] | None) -> SelectOfScalar[dt.date]:
    """Built once for each set of kinds: asked several times every simulated day."""
    query = (
        select(col(Milestone.due_on))
        .join(Inspection, col(Inspection.id) == Milestone.inspection_id)
        .where(_OPEN, col(Milestone.due_on) > bindparam("after"), _ACTIVE)
    )
    if only is not None:
        query = query.join(Programme, col(Programme.id) == Inspection.programme_id).where(
            tuple_(col(Programme.code), col(Milestone.kind)).in_(only)
        )
    return query.order_by(col(Milestone.due_on)).limit(1)
