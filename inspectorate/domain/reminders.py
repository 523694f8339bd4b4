"""Which reminder a milestone needs on a given day: lead-time, escalation — pure rules."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pendulum

from inspectorate.domain.calendar import add_working_days, as_date, working_days_between
from inspectorate.domain.programmes import MilestoneRule, ReminderPolicy, Role

ESCALATION = "escalation"
NOTICE = "notice"


def lead_kind(working_days: int) -> str:
    """Return the reminder kind for a lead time, e.g. 'lead_5'."""
    return f"lead_{working_days}"


@dataclass(frozen=True)
class ReminderDue:
    """A reminder that should exist: its kind, the day it is for, and who receives it."""

    kind: str
    remind_on: pendulum.Date
    roles: tuple[Role, ...]


def reminder_due(
    rule: MilestoneRule, policy: ReminderPolicy, due_on: dt.date, as_of: dt.date
) -> ReminderDue | None:
    """Return the one reminder an open milestone needs on `as_of`, or None.

    Before the due date: the most recent lead time that has been reached (after a missed day
    only the latest is sent, never a backlog). After the due date: an escalation on the first
    working day after it and every `escalate_every_working_days` after that.
    """
    due_on, as_of = as_date(due_on), as_date(as_of)
    if as_of < due_on:
        if not rule.remind:
            return None
        reached = [
            (lead, add_working_days(due_on, -lead))
            for lead in sorted(policy.lead_working_days)
            if add_working_days(due_on, -lead) <= as_of
        ]
        if not reached:
            return None
        lead, day = reached[0]
        return ReminderDue(lead_kind(lead), day, rule.remind)
    late = working_days_between(due_on, as_of)
    if late < 1:
        return None
    slot = (late - 1) // policy.escalate_every_working_days
    day = add_working_days(due_on, 1 + slot * policy.escalate_every_working_days)
    roles = tuple(dict.fromkeys((*rule.remind, *_owner(rule), Role.MANAGER)))
    return ReminderDue(ESCALATION, day, roles)


def _owner(rule: MilestoneRule) -> tuple[Role, ...]:
    return () if rule.owner is Role.SYSTEM else (rule.owner,)


def next_reminder_day(
    rule: MilestoneRule, policy: ReminderPolicy, due_on: dt.date, after: dt.date
) -> pendulum.Date | None:
    """Return the first day after `after` on which this open milestone needs a new reminder."""
    due_on, after = as_date(due_on), as_date(after)
    current = reminder_due(rule, policy, due_on, after)
    candidates = [add_working_days(due_on, -lead) for lead in policy.lead_working_days]
    candidates = [d for d in candidates if d > after and rule.remind]
    if after < due_on:
        candidates.append(add_working_days(due_on, 1))
    elif current is not None:
        candidates.append(add_working_days(current.remind_on, policy.escalate_every_working_days))
    else:
        candidates.append(add_working_days(due_on, 1))
    future = [d for d in candidates if d > after]
    return min(future) if future else None
