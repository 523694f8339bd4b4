"""The rows a reminder's mails are about, read for a whole batch of reminders at once."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy import bindparam
from sqlmodel import Session, col, select

from inspectorate.adapters.models import Body, Inspection, Milestone, Programme, Reminder
from inspectorate.adapters.rows import plain_rows


@dataclass(frozen=True)
class MailRows:
    """The rows one reminder's mails are about, and every due date of its inspection."""

    reminder: Reminder
    milestone: Milestone
    inspection: Inspection
    body: Body
    programme_code: str
    dates: Mapping[str, dt.date]


def load_mail_rows(session: Session, reminder_ids: Sequence[int]) -> dict[int, MailRows]:
    """Read the rows of the reminders `reminder_ids` (at most a few hundred) in three queries."""
    found = session.exec(_ROWS, params={"ids": list(reminder_ids)}).all()
    # Plain rows, not the ORM's: only the values are wanted.
    codes: dict[int, str] = dict(plain_rows(session, _CODES, {}))
    dates: dict[int, dict[str, dt.date]] = defaultdict(dict)
    inspections = list({inspection.id for _r, _m, inspection, _b in found})
    for inspection_id, kind, due_on in plain_rows(session, _DATES, {"ids": inspections}):
        dates[inspection_id][kind] = due_on
    rows = {}
    for reminder, milestone, inspection, body in found:
        assert reminder.id is not None and inspection.id is not None
        rows[reminder.id] = MailRows(
            reminder,
            milestone,
            inspection,
            body,
            codes[inspection.programme_id],
            dates[inspection.id],
        )
    return rows


# Built once: every delivery reads them for each batch of reminders.
_ROWS = (
    select(Reminder, Milestone, Inspection, Body)
    .join(Milestone, col(Milestone.id) == Reminder.milestone_id)
    .join(Inspection, col(Inspection.id) == Milestone.inspection_id)
    .join(Body, col(Body.id) == Inspection.body_id)
    .where(col(Reminder.id).in_(bindparam("ids", expanding=True)))
)
_CODES = select(col(Programme.id), col(Programme.code))
_DATES = select(col(Milestone.inspection_id), col(Milestone.kind), col(Milestone.due_on)).where(
    col(Milestone.inspection_id).in_(bindparam("ids", expanding=True))
)
