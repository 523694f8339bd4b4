"""Delivering claimed reminders: each sent once, under a lease, and audited.

A lease guards against two live sweeps sending the same reminder at once. Reminders are
leased and read a hundred at a time, but a batch is used for at most a minute (the rest go
back, to be leased and read afresh), far inside its ten-minute lease, and each reminder is
checked to be still unsent and still under that lease just before it is sent (a reschedule
withdraws unsent reminders). Each is recorded as sent in its own transaction: a sweep that
dies after handing a message over but before recording it leaves the lease to expire, and
the next sweep sends that one again (at-least-once only in that window; Message-IDs are
stable). A reminder for two kinds of reader is two mails: each is recorded as it goes, so a
failure of the second never sends the first again.

A notice whose document is not written yet is left unsent (the next delivery tries again);
a reminder for a day before `withhold_before` is withheld: marked, audited, never sent (a
late announcement excepted: it asks for a decision that is still needed).
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass

import pendulum
from sqlalchemy import Engine, bindparam, update
from sqlmodel import Session, col, select

from inspectorate.adapters.database import session_scope, utc
from inspectorate.adapters.models import AuditEvent, Inspection, Milestone, Reminder
from inspectorate.adapters.notify import Mailer, mailer_from_settings
from inspectorate.adapters.repository import insert_audit
from inspectorate.adapters.settings import Settings, get_settings
from inspectorate.domain.programmes import ProgrammeDefinition
from inspectorate.services import context
from inspectorate.services.mail_rows import MailRows, load_mail_rows
from inspectorate.services.messages import compose_messages
from inspectorate.services.withholding import UNSENT, unleased, withhold_past_reminders

ACTOR = "deadline-sweep"  # who the sweep is in the audit trail
LEASE = dt.timedelta(minutes=10)
LEASE_BATCH = 100  # reminders leased and read at once
BATCH_SECONDS = 60  # the longest a batch's rows are used: far inside its ten-minute lease
_PATH_LENGTH = 500  # Reminder.message_path


@dataclass
class DeliveryReport:
    """What one delivery did: reminders sent, withheld (past days), and waiting for a document."""

    delivered: int = 0
    withheld: int = 0
    waiting: int = 0


def deliver_pending_reminders(
    engine: Engine,
    *,
    mailer: Mailer,
    now: pendulum.DateTime,
    programmes: dict[str, ProgrammeDefinition],
    settings: Settings,
    withhold_before: dt.date | None = None,
) -> DeliveryReport:
    """Withhold what is for a day before `withhold_before`, then send every other unsent one."""
    report = DeliveryReport()
    if withhold_before is not None:
        with session_scope(engine) as session:
            report.withheld = withhold_past_reminders(
                session, before=withhold_before, now=now, wall=_wall_clock(), actor=ACTOR
            )
    after = 0
    while (batch := _take_leases(engine, after=after, limit=LEASE_BATCH)) is not None:
        leased, lease, after = batch
        if not leased:
            continue  # another sweep took every one of these first: look further on
        rows = _read_rows(engine, leased)
        read_at = time.monotonic()
        for place, reminder_id in enumerate(leased):
            if place and _batch_over(read_at, lease):
                # The rest go back, to be leased and read afresh: never sent from stale rows,
                # never past a lease (a slow mail server cannot stretch a batch beyond it).
                _release_leases(engine, leased[place:], lease)
                after = reminder_id - 1
                break
            changed_at = _still_leased(engine, reminder_id, lease)
            if reminder_id not in rows or changed_at is None:
                continue  # withdrawn since it was read (a reschedule): nothing to send
            if changed_at != rows[reminder_id].inspection.updated_at:
                rows.update(_read_rows(engine, [reminder_id]))  # rescheduled: today's dates
            try:
                sent = _send_one(
                    engine, rows[reminder_id], lease, mailer, now, programmes, settings
                )
            except BaseException:
                _release_leases(engine, leased[place:], lease)
                raise
            if sent:
                report.delivered += 1
            else:
                report.waiting += 1
    return report


def _send_one(
    engine: Engine,
    rows: MailRows,
    lease: dt.datetime,
    mailer: Mailer,
    now: pendulum.DateTime,
    programmes: dict[str, ProgrammeDefinition],
    settings: Settings,
) -> bool:
    """Send one leased reminder's mails and record it; False when it must wait (lease freed)."""
    reminder, milestone = rows.reminder, rows.milestone
    assert reminder.id is not None
    with Session(engine) as session:  # read only for a notice's documents
        prepared = compose_messages(
            session, rows, now=now, programmes=programmes, settings=settings
        )
    if prepared.waiting_for is not None:
        _release_leases(engine, [reminder.id], lease)
        return False
    done = _parts_done(reminder.message_path) if len(prepared.mails) > 1 else {}
    for mail in prepared.mails:
        if mail.audience in done:
            continue  # sent before a failure of the next part; never twice
        done[mail.audience] = mailer.send(mail.message)
        if len(done) < len(prepared.mails):  # after the last part, the record below says it
            _record_progress(engine, reminder.id, _path(done))
    location = next(iter(done.values())) if len(done) == 1 else _path(done)
    to = "; ".join(f"{m.audience}: {', '.join(m.message.to)}" for m in prepared.mails)
    event = AuditEvent(
        at=utc(now),
        actor=ACTOR,
        entity="reminder",
        entity_id=reminder.id,
        inspection_id=milestone.inspection_id,
        action="sent",
        from_state="pending",
        to_state="sent",
        why=f"{reminder.kind} for {milestone.kind} to {to or 'nobody (no recipient)'}",
    )
    # Recorded at once, one transaction a reminder: a crash re-sends at most the one in hand.
    # Through the connection, not a session: this runs for every mail a morning sends.
    with engine.begin() as recording:
        recording.execute(
            _MARK_SENT,
            {"reminder_id": reminder.id, "sent_at": utc(now), "path": location or None},
        )
        insert_audit(recording, event)
    return True


def _path(done: dict[str, str]) -> str:
    return "; ".join(f"{audience}={where}" for audience, where in done.items())[:_PATH_LENGTH]


def _parts_done(message_path: str | None) -> dict[str, str]:
    """The parts an interrupted delivery recorded as sent ('audience=location; ...')."""
    done: dict[str, str] = {}
    for part in (message_path or "").split("; "):
        audience, sep, where = part.partition("=")
        if sep and audience.isalpha():
            done[audience] = where
    return done


def _record_progress(engine: Engine, reminder_id: int, message_path: str) -> None:
    with engine.begin() as connection:
        connection.execute(_RECORD_PROGRESS, {"reminder_id": reminder_id, "path": message_path})


def _wall_clock() -> dt.datetime:
    # Leases guard against two live processes sending at once, so they use real time even
    # when the domain clock is virtual.
    return dt.datetime.now(dt.UTC)


def _take_leases(
    engine: Engine, *, after: int, limit: int
) -> tuple[list[int], dt.datetime, int] | None:
    """Lease up to `limit` unsent, free reminders after id `after`.

    Returns the ids leased (in order), the lease (its expiry, which also names it) and the
    last id looked at; None when no reminder after `after` is unsent and free.
    """
    wall = _wall_clock()
    lease = wall + LEASE
    with session_scope(engine) as session:
        wanted = session.exec(
            select(Reminder.id)
            .where(*UNSENT, unleased(wall), col(Reminder.id) > after)
            .order_by(col(Reminder.id))
            .limit(limit)
        ).all()
        if not wanted:
            return None
        # Re-checked row by row: a reminder another sweep leased meanwhile is not returned.
        taken = session.execute(
            update(Reminder)
            .where(col(Reminder.id).in_(wanted), *UNSENT, unleased(wall))
            .values(lease_until=lease)
            .returning(col(Reminder.id))
        )
        last = wanted[-1]  # in id order
        assert last is not None
        return sorted(taken.scalars()), lease, last


def _read_rows(engine: Engine, reminder_ids: list[int]) -> dict[int, MailRows]:
    with Session(engine) as session:
        rows = load_mail_rows(session, reminder_ids)
        session.expunge_all()  # plain rows from here: no transaction held while mailing
    return rows


def _batch_over(read_at: float, lease: dt.datetime) -> bool:
    """Whether a batch has been used for its time (a suspended machine counts by the wall)."""
    wall_used = _wall_clock() - (lease - LEASE)
    return time.monotonic() - read_at > BATCH_SECONDS or wall_used.total_seconds() > BATCH_SECONDS


def _still_leased(engine: Engine, reminder_id: int, lease: dt.datetime) -> dt.datetime | None:
    """When the reminder's inspection last changed, if the reminder is still unsent, in the
    record and under this unexpired lease; else None."""
    if lease <= _wall_clock():
        return None  # expired (a machine suspended mid-batch): another sweep may hold it
    with engine.connect() as connection:
        changed_at = connection.execute(
            _STILL_LEASED, {"reminder_id": reminder_id, "lease": lease}
        ).scalar()
    return changed_at if isinstance(changed_at, dt.datetime) else None


def _release_leases(engine: Engine, reminder_ids: list[int], lease: dt.datetime) -> None:
    """Free these reminders, if still under this lease (not one another sweep took since)."""
    with engine.begin() as connection:
        connection.execute(_RELEASE, {"reminder_ids": reminder_ids, "lease": lease})


# Built once: each runs once or twice for every mail a morning sends.
_STILL_LEASED = (
    select(Inspection.updated_at)
    .join(Milestone, col(Milestone.inspection_id) == Inspection.id)
    .join(Reminder, col(Reminder.milestone_id) == Milestone.id)
    .where(col(Reminder.id) == bindparam("reminder_id"), *UNSENT)
    .where(col(Reminder.lease_until) == bindparam("lease"))
)
_RELEASE = (
    update(Reminder)
    .where(col(Reminder.id).in_(bindparam("reminder_ids", expanding=True)))
    .where(col(Reminder.sent_at).is_(None), col(Reminder.lease_until) == bindparam("lease"))
    .values(lease_until=None)
)
_MARK_SENT = (
    update(Reminder)
    .where(col(Reminder.id) == bindparam("reminder_id"))
    .values(sent_at=bindparam("sent_at"), lease_until=None, message_path=bindparam("path"))
)
_RECORD_PROGRESS = (
    update(Reminder)
    .where(col(Reminder.id) == bindparam("reminder_id"))
    .values(message_path=bindparam("path"))
)


def deliver_all(
    *,
    now: dt.datetime | None = None,
    mailer: Mailer | None = None,
    withhold_before: dt.date | None = None,
) -> DeliveryReport:
    """Deliver every claimed, unsent reminder; withhold those for days before `withhold_before`."""
    settings = get_settings()
    return deliver_pending_reminders(
        context.engine(settings),
        mailer=mailer or mailer_from_settings(settings),
        now=context.moment(now),
        programmes=context.programmes(settings),
        settings=settings,
        withhold_before=withhold_before,
    )


def deliver(
    *,
    now: dt.datetime | None = None,
    mailer: Mailer | None = None,
    withhold_before: dt.date | None = None,
) -> int:
    """Deliver every claimed, unsent reminder through the configured mailer; return how many."""
    return deliver_all(now=now, mailer=mailer, withhold_before=withhold_before).delivered
