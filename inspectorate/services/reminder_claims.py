"""Claiming reminders: one row per (milestone, kind, day), whoever races to insert it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import pendulum
from sqlalchemy import insert as sa_insert
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col

from inspectorate.adapters.database import utc
from inspectorate.adapters.models import Reminder
from inspectorate.adapters.rows import run_on_connection


def claim_reminder(
    session: Session,
    *,
    milestone_id: int,
    kind: str,
    remind_on: dt.date,
    milestone_due_on: dt.date,
    recipients: tuple[str, ...],
    now: pendulum.DateTime,
) -> bool:
    """Insert a reminder unless its (milestone, kind, day) already exists; True if inserted.

    INSERT … ON CONFLICT DO NOTHING lets the unique key decide, so two sweeps racing (or a
    sweep re-run after a crash) cannot both claim the same reminder.
    """
    values = {
        "milestone_id": milestone_id,
        "kind": kind,
        "remind_on": remind_on,
        "milestone_due_on": milestone_due_on,
        "recipients": ", ".join(recipients),
        "created_at": utc(now),
    }
    return insert_unless_present(session, values)


def insert_unless_present(
    session: Session, values: dict[str, object], *, portable: bool = False
) -> bool:
    """Insert a reminder row unless its unique key exists; True if this call inserted it.

    PostgreSQL and SQLite do it in one statement; other databases (or `portable=True`) use a
    savepoint and let the unique constraint refuse the duplicate.
    """
    dialect = session.get_bind().dialect.name
    if not portable and dialect in ("postgresql", "sqlite"):
        # rowcount is -1 under RETURNING (which SQLAlchemy adds for the key): ask for the id.
        return (
            run_on_connection(session, _INSERT_UNLESS_PRESENT[dialect], values).first() is not None
        )
    try:
        with session.begin_nested():
            session.execute(sa_insert(Reminder).values(**values))
    except IntegrityError:
        return False
    return True


# Built once per dialect (a reminder is claimed for every notice and every reminder day).
_INSERT_UNLESS_PRESENT = {
    name: insert(Reminder)
    .on_conflict_do_nothing(index_elements=["milestone_id", "kind", "remind_on"])
    .returning(col(Reminder.id))
    for name, insert in (("postgresql", postgresql.insert), ("sqlite", sqlite.insert))
}


@dataclass(frozen=True)
class ReminderClaim:
    """One reminder to claim: its milestone, kind and day, and who receives it."""

    milestone_id: int
    kind: str
    remind_on: dt.date
    milestone_due_on: dt.date
    recipients: tuple[str, ...]


def claim_reminders(
    session: Session, claims: Sequence[ReminderClaim], *, now: pendulum.DateTime
) -> int:
    """Claim many reminders in order, a few hundred per statement; how many were inserted.

    Each row is inserted unless its (milestone, kind, day) exists, as `claim_reminder` does
    one at a time, so racing sweeps still claim each reminder once.
    """
    rows = [
        {
            "milestone_id": claim.milestone_id,
            "kind": claim.kind,
            "remind_on": claim.remind_on,
            "milestone_due_on": claim.milestone_due_on,
            "recipients": ", ".join(claim.recipients),
            "created_at": utc(now),
        }
        for claim in claims
    ]
    dialect = session.get_bind().dialect.name
    if dialect not in ("postgresql", "sqlite"):
        return sum(insert_unless_present(session, values, portable=True) for values in rows)
    if not rows:
        return 0
    session.flush()  # the connection's statement below sees what the session holds
    # One statement built once, given every row: SQLAlchemy sends them as multi-row INSERTs
    # ("insertmanyvalues"); a statement with the rows in it was compiled anew every morning.
    # RETURNING gives back only the rows inserted, so a claim another sweep made is not counted.
    return len(session.connection().execute(_CLAIM_MANY[dialect], rows).all())


_CLAIM_MANY = {
    name: dialect.insert(Reminder)
    .on_conflict_do_nothing(index_elements=["milestone_id", "kind", "remind_on"])
    .returning(col(Reminder.id))
    for name, dialect in (("postgresql", postgresql), ("sqlite", sqlite))
}
