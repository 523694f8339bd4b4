"""Delivering claimed reminders: each sent once, under a lease, and audited.

A lease guards against two live sweeps sending the same reminder at once. Reminders are
leased and read a hundred at a time, but a batch is used for at most a minute (the rest go
back, to be leased and read afresh, once the run in hand is done), far inside its lease, and
each is checked to be still unsent and under that lease just before it is sent (a reschedule
withdraws unsent reminders). Through SMTP each is recorded as sent in its own transaction: a
sweep that dies after handing a message over but before recording it leaves the lease to
expire, and the next sweep sends that one again (at-least-once only in that window;
Message-IDs are stable); one connection and login serve a hundred mails. The outbox overwrites a
mail written again, so there a run of up to `RUN` reminders is written, then recorded
together (a crash writes its files again, never a second copy). A reminder for two kinds of
reader is two mails; through SMTP each is recorded as it goes, so a failure of the second
never sends the first again. A notice whose document is not written yet is left unsent (the
next delivery tries again); a reminder for a day before `withhold_before` is withheld:
marked, audited, never sent (a late announcement excepted: it asks for a decision).
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass

import pendulum
from sqlalchemy import Engine, bindparam, update
from sqlmodel import Session, col, select

from inspectorate.adapters.database import session_scope, utc
from inspectorate.adapters.models import Inspection, Milestone, Reminder
from inspectorate.adapters.notify import Mailer, connection_kept, mailer_from_settings
from inspectorate.adapters.settings import Settings, get_settings
from inspectorate.domain.programmes import ProgrammeDefinition
from inspectorate.services import context
from inspectorate.services.mail_parts import parts_done, parts_path
from inspectorate.services.mail_rows import MailRows, load_mail_rows
from inspectorate.services.messages import compose_messages
from inspectorate.services.sent_records import RECORD_PROGRESS, Sent, record_sent
from inspectorate.services.withholding import UNSENT, unleased, withhold_past_reminders

ACTOR = "deadline-sweep"  # who the sweep is in the audit trail
LEASE = dt.timedelta(minutes=10)
LEASE_BATCH = 100  # reminders leased and read at once
RUN = 50  # reminders an overwriting mailer sends before they are recorded together
BATCH_SECONDS = 60  # the longest a batch's rows are used: far inside its ten-minute lease


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
    # A mailer that overwrites on re-sending (the outbox) sends a run of reminders before
    # they are recorded together: a crash re-sends that run, which only writes the same files
    # again. Any other (SMTP) records each reminder before the next goes.
    sending = Sending(engine, mailer, now, programmes, settings)
    with connection_kept(mailer):  # through SMTP: one connection for a hundred mails
        _send_every_batch(engine, sending, report, RUN if sending.overwrites else 1)
    return report


def _send_every_batch(
    engine: Engine, sending: Sending, report: DeliveryReport, run_length: int
) -> None:
    """Lease, read and send reminders a batch at a time until none is left unsent and free."""
    after = 0
    while (batch := _take_leases(engine, after=after, limit=LEASE_BATCH)) is not None:
        leased, lease, after = batch
        if not leased:
            continue  # another sweep took every one of these first: look further on
        rows = _read_rows(engine, leased)
        read_at = time.monotonic()
        for place in range(0, len(leased), run_length):
            if place and _batch_over(read_at, lease):
                # The rest go back, to be leased and read afresh: never sent from stale rows,
                # never past a lease (a slow mail server cannot stretch a batch beyond it).
                _release_leases(engine, leased[place:], lease)
                after = leased[place] - 1
                break
            run = leased[place : place + run_length]
            changed_at = _still_leased(engine, run, lease)
            # Withdrawn since it was read (a reschedule): nothing to send.
            run = [reminder_id for reminder_id in run if reminder_id in changed_at]
            stale = [i for i in run if i in rows and changed_at[i] != rows[i].inspection.updated_at]
            if stale:
                rows.update(_read_rows(engine, stale))  # rescheduled: today's dates
            try:
                sending.send_run([rows[i] for i in run if i in rows], lease, report)
            except BaseException:
                _release_leases(engine, leased[place:], lease)
                raise


@dataclass
class Sending:
    """What every run of one delivery is sent with."""

    engine: Engine
    mailer: Mailer
    now: pendulum.DateTime
    programmes: dict[str, ProgrammeDefinition]
    settings: Settings

    @property
    def overwrites(self) -> bool:
        """Whether the mailer overwrites a mail sent again (the outbox) rather than copy it."""
        return bool(getattr(self.mailer, "overwrites", False))

    def send_run(self, run: list[MailRows], lease: dt.datetime, report: DeliveryReport) -> None:
        """Send the leased reminders of `run`, then record those sent in one transaction.

        Those sent before a failure are recorded before it is raised. A reminder whose
        notice must wait for its document has its lease freed.
        """
        sent: list[Sent] = []
        try:
            with Session(self.engine) as session:  # read only, for notices' documents
                for place, rows in enumerate(run):
                    reminder_id = rows.reminder.id
                    assert reminder_id is not None
                    # Each checked again just before it goes (the run's first was, a moment
                    # ago): one withdrawn meanwhile is not sent; an expired lease ends the run.
                    if place:
                        changed_at = _still_leased(self.engine, [reminder_id], lease)
                        if reminder_id not in changed_at:
                            if lease <= _wall_clock():
                                break
                            continue
                        if changed_at[reminder_id] != rows.inspection.updated_at:
                            rows = _read_rows(self.engine, [reminder_id]).get(reminder_id, rows)
                    done = self._send_one(session, rows, lease)
                    if done is None:
                        report.waiting += 1
                    else:
                        sent.append(done)
        finally:
            if sent:
                report.delivered += self._record_sent(sent, lease)

    def _send_one(self, session: Session, rows: MailRows, lease: dt.datetime) -> Sent | None:
        """Send one leased reminder's mails: what to record, or None (waiting, lease freed)."""
        reminder, milestone = rows.reminder, rows.milestone
        assert reminder.id is not None
        prepared = compose_messages(
            session, rows, now=self.now, programmes=self.programmes, settings=self.settings
        )
        if prepared.waiting_for is not None:
            _release_leases(self.engine, [reminder.id], lease)
            return None
        done = parts_done(reminder.message_path) if len(prepared.mails) > 1 else {}
        refused: list[str] = []  # recipients the server refused while taking the mail for others
        for mail in prepared.mails:
            if mail.audience in done:
                continue  # sent before a failure of the next part; never twice
            done[mail.audience] = where = self.mailer.send(mail.message)
            refused += getattr(where, "refused", ())
            if len(done) < len(prepared.mails) and not self.overwrites:  # see the docstring
                _record_progress(self.engine, reminder.id, parts_path(done))
        location = next(iter(done.values())) if len(done) == 1 else parts_path(done)
        to = "; ".join(f"{m.audience}: {', '.join(m.message.to)}" for m in prepared.mails)
        refusals = f"; refused by the mail server: {', '.join(refused)}" if refused else ""
        why = f"{reminder.kind} for {milestone.kind} to {to or 'nobody (no recipient)'}{refusals}"
        return Sent(reminder.id, str(location) or None, milestone.inspection_id, why)

    def _record_sent(self, sent: list[Sent], lease: dt.datetime) -> int:
        """Record the run's mails in one transaction; how many reminders were marked sent."""
        with self.engine.begin() as recording:
            return record_sent(
                recording,
                sent,
                lease=lease,
                at=utc(self.now),
                actor=ACTOR,
                copies_again=not self.overwrites,
            )


def _record_progress(engine: Engine, reminder_id: int, message_path: str) -> None:
    with engine.begin() as connection:
        connection.execute(RECORD_PROGRESS, {"reminder_id": reminder_id, "path": message_path})


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
    with engine.begin() as connection:
        params = {"after": after, "wall": wall, "limit": limit}
        wanted = [i for (i,) in connection.execute(_FREE_AFTER, params) if i is not None]
        if not wanted:
            return None
        # Re-checked row by row: a reminder another sweep leased meanwhile is not returned.
        taken = connection.execute(_LEASE, {"ids": wanted, "wall": wall, "lease": lease})
        leased = sorted(i for (i,) in taken if i is not None)
        return leased, lease, wanted[-1]  # the last looked at, in id order


def _read_rows(engine: Engine, reminder_ids: list[int]) -> dict[int, MailRows]:
    with Session(engine) as session:
        rows = load_mail_rows(session, reminder_ids)
        session.expunge_all()  # plain rows from here: no transaction held while mailing
    return rows


def _batch_over(read_at: float, lease: dt.datetime) -> bool:
    """Whether a batch has been used for its time (a suspended machine counts by the wall)."""
    wall_used = _wall_clock() - (lease - LEASE)
    return time.monotonic() - read_at > BATCH_SECONDS or wall_used.total_seconds() > BATCH_SECONDS


def _still_leased(
    engine: Engine, reminder_ids: list[int], lease: dt.datetime
) -> dict[int, dt.datetime]:
    """When each reminder's inspection last changed, for those still unsent, in the record and
    under this unexpired lease (the others are left out)."""
    if lease <= _wall_clock():
        return {}  # expired (a machine suspended mid-batch): another sweep may hold them
    with engine.connect() as connection:
        if len(reminder_ids) == 1:  # each mail of a run: no list for SQLAlchemy to expand
            found = connection.execute(_ONE_STILL_LEASED, {"id": reminder_ids[0], "lease": lease})
        else:
            params = {"reminder_ids": reminder_ids, "lease": lease}
            found = connection.execute(_STILL_LEASED, params)
        return {reminder_id: changed for reminder_id, changed in found if reminder_id is not None}


def _release_leases(engine: Engine, reminder_ids: list[int], lease: dt.datetime) -> None:
    """Free these reminders, if still under this lease (not one another sweep took since)."""
    with engine.begin() as connection:
        connection.execute(_RELEASE, {"reminder_ids": reminder_ids, "lease": lease})


# Built once: they run for every run of mails a morning sends.
_LEASED = (
    select(col(Reminder.id), col(Inspection.updated_at))
    .join(Milestone, col(Milestone.inspection_id) == Inspection.id)
    .join(Reminder, col(Reminder.milestone_id) == Milestone.id)
    .where(*UNSENT, col(Reminder.lease_until) == bindparam("lease"))
)
_STILL_LEASED = _LEASED.where(col(Reminder.id).in_(bindparam("reminder_ids", expanding=True)))
_ONE_STILL_LEASED = _LEASED.where(col(Reminder.id) == bindparam("id"))
_FREE_AFTER = (
    select(col(Reminder.id))
    .where(*UNSENT, unleased(bindparam("wall")), col(Reminder.id) > bindparam("after"))
    .order_by(col(Reminder.id))
    .limit(bindparam("limit"))
)
_LEASE = (
    update(Reminder)
    .where(col(Reminder.id).in_(bindparam("ids", expanding=True)), *UNSENT)
    .where(unleased(bindparam("wall")))
    .values(lease_until=bindparam("lease"))
    .returning(col(Reminder.id))
)
_RELEASE = (
    update(Reminder)
    .where(col(Reminder.id).in_(bindparam("reminder_ids", expanding=True)))
    .where(col(Reminder.sent_at).is_(None), col(Reminder.lease_until) == bindparam("lease"))
    .values(lease_until=None)
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
