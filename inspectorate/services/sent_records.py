"""Recording reminders as sent: marked under the lease they went under, each mail audited.

Delivery records a run of mails in one transaction. Only reminders still unsent under its
lease are marked: one another sweep took after that lease ran out (a stalled run) is that
sweep's to record. The statements are built once: building one costs more than running it
on a busy morning's few, indexed rows.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Connection, bindparam, update
from sqlmodel import col, select

from inspectorate.adapters.models import Reminder
from inspectorate.adapters.repository import audit_row, insert_audits
from inspectorate.services.withholding import UNSENT


@dataclass(frozen=True)
class Sent:
    """A reminder whose mails went: where, and the audit trail's why."""

    reminder_id: int
    path: str | None
    inspection_id: int
    why: str


def record_sent(
    connection: Connection,
    sent: list[Sent],
    *,
    lease: dt.datetime,
    at: dt.datetime,
    actor: str,
    copies_again: bool,
) -> int:
    """Mark these reminders sent and audit their mails, in the connection's transaction;
    how many were marked.

    A mail is audited as sent even where its reminder is not marked: withdrawn as it went
    (its mail went all the same), or, with a mailer that sends a copy again (`copies_again`,
    SMTP), marked by another sweep that sent it too after this one's lease ran out.
    """
    ids = [s.reminder_id for s in sent]
    params = {"reminder_ids": ids, "sent_at": at, "lease": lease}
    marked = set(connection.execute(MARK_SENT, params).scalars())
    if marked:
        paths = [{"reminder_id": s.reminder_id, "path": s.path} for s in sent]
        connection.execute(RECORD_PROGRESS, [p for p in paths if p["reminder_id"] in marked])
    unmarked = set(ids) - marked
    present = set()
    if unmarked:
        present = set(connection.execute(STILL_THERE, {"reminder_ids": list(unmarked)}).scalars())
    notes = {i: " (sent again: its lease ran out as it went)" for i in present if copies_again}
    notes |= {i: " (withdrawn as it went)" for i in unmarked - present}
    events = [
        audit_row(
            at=at,
            actor=actor,
            entity="reminder",
            entity_id=s.reminder_id,
            inspection_id=s.inspection_id,
            action="sent",
            from_state="pending",
            to_state="sent",
            why=s.why + notes.get(s.reminder_id, ""),
        )
        for s in sent
        if s.reminder_id in marked or s.reminder_id in notes
    ]
    insert_audits(connection, events)
    return len(marked)


MARK_SENT = (
    update(Reminder)
    .where(col(Reminder.id).in_(bindparam("reminder_ids", expanding=True)), *UNSENT)
    .where(col(Reminder.lease_until) == bindparam("lease"))
    .values(sent_at=bindparam("sent_at"), lease_until=None)
    .returning(col(Reminder.id))
)
STILL_THERE = select(col(Reminder.id)).where(
    col(Reminder.id).in_(bindparam("reminder_ids", expanding=True))
)
RECORD_PROGRESS = (
    update(Reminder)
    .where(col(Reminder.id) == bindparam("reminder_id"))
    .values(message_path=bindparam("path"))
)
