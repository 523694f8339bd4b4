"""Delivering claimed reminders: each sent once, under a lease, and audited.

A lease guards against two live sweeps sending the same reminder at once; a sweep that dies
after handing a message over but before recording it leaves the lease to expire, and the
next sweep sends again (at-least-once only in that window; Message-IDs are stable).
"""

from __future__ import annotations

import datetime as dt

import pendulum
from sqlalchemy import Engine, update
from sqlmodel import Session, col, select

from inspectorate.adapters.database import session_scope, utc
from inspectorate.adapters.models import Milestone, Reminder
from inspectorate.adapters.notify import Mailer, mailer_from_settings
from inspectorate.adapters.repository import record_audit
from inspectorate.adapters.settings import Settings, get_settings
from inspectorate.domain.programmes import ProgrammeDefinition
from inspectorate.services import context
from inspectorate.services.messages import build_message

ACTOR = "deadline-sweep"  # who the sweep is in the audit trail
LEASE = dt.timedelta(minutes=10)


def deliver_pending_reminders(
    engine: Engine,
    *,
    mailer: Mailer,
    now: pendulum.DateTime,
    programmes: dict[str, ProgrammeDefinition],
    settings: Settings,
) -> int:
    """Send every claimed, unsent reminder once; return how many were delivered."""
    with Session(engine) as session:
        pending = session.exec(
            select(Reminder.id).where(col(Reminder.sent_at).is_(None)).order_by(col(Reminder.id))
        ).all()
    delivered = 0
    for reminder_id in pending:
        assert reminder_id is not None
        if not _take_lease(engine, reminder_id):
            continue
        with Session(engine) as session:
            message = build_message(
                session, reminder_id=reminder_id, now=now, programmes=programmes, settings=settings
            )
        try:
            location = mailer.send(message)
        except Exception:
            _release_lease(engine, reminder_id)
            raise
        with session_scope(engine) as session:
            session.execute(
                update(Reminder)
                .where(col(Reminder.id) == reminder_id)
                .values(sent_at=utc(now), lease_until=None, message_path=location)
            )
            reminder = session.get(Reminder, reminder_id)
            milestone = session.get(Milestone, reminder.milestone_id) if reminder else None
            assert reminder is not None and milestone is not None
            record_audit(
                session,
                at=now,
                actor=ACTOR,
                entity="reminder",
                entity_id=reminder_id,
                inspection_id=milestone.inspection_id,
                action="sent",
                from_state="pending",
                to_state="sent",
                why=f"{reminder.kind} for {milestone.kind} to {reminder.recipients}",
            )
        delivered += 1
    return delivered


def _wall_clock() -> dt.datetime:
    # Leases guard against two live processes sending at once, so they use real time even
    # when the domain clock is virtual.
    return dt.datetime.now(dt.UTC)


def _take_lease(engine: Engine, reminder_id: int) -> bool:
    wall = _wall_clock()
    with session_scope(engine) as session:
        result = session.execute(
            update(Reminder)
            .where(col(Reminder.id) == reminder_id, col(Reminder.sent_at).is_(None))
            .where((col(Reminder.lease_until).is_(None)) | (col(Reminder.lease_until) < wall))
            .values(lease_until=wall + LEASE)
        )
        return result.rowcount == 1  # type: ignore[attr-defined]


def _release_lease(engine: Engine, reminder_id: int) -> None:
    with session_scope(engine) as session:
        session.execute(
            update(Reminder).where(col(Reminder.id) == reminder_id).values(lease_until=None)
        )


def deliver(*, now: dt.datetime | None = None, mailer: Mailer | None = None) -> int:
    """Deliver every claimed, unsent reminder through the configured mailer."""
    settings = get_settings()
    return deliver_pending_reminders(
        context.engine(settings),
        mailer=mailer or mailer_from_settings(settings),
        now=context.moment(now),
        programmes=context.programmes(settings),
        settings=settings,
    )
