"""Leases in the record: one holder at a time per name, for a while, renewed as it works.

The deadline sweep takes the lease "deadline-sweep" instead of relying on a Prefect
deployment's concurrency limit, whose lease lives in the Prefect server's memory and was
measured to outlive a dead run across a server restart for over six minutes. A holder that
dies stops renewing, so its lease expires and the next taker supersedes it (audited).

Every time given here is wall-clock time: a lease guards live processes, even when the
domain's clock is virtual. Taking, superseding and releasing are recorded in the audit
trail; renewing (every few seconds while a sweep runs) is not.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import update
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col, select

from inspectorate.adapters.database import utc
from inspectorate.adapters.leases import Lease
from inspectorate.adapters.repository import record_audit

ACTOR = "lease"  # who takes and releases leases in the audit trail (the holder is in `why`)


@dataclass(frozen=True)
class LeaseState:
    """The outcome of asking for a lease: taken by us, or who holds it and until when."""

    taken: bool
    holder: str | None
    expires_at: dt.datetime


def take(
    session: Session, *, name: str, holder: str, now: dt.datetime, seconds: float
) -> LeaseState:
    """Take the lease `name` for `seconds` unless someone else holds an unexpired one."""
    now = utc(now)
    row = _locked_row(session, name, now)
    previous, until = row.holder, utc(row.expires_at)
    if previous not in (None, holder) and until > now:
        return LeaseState(False, previous, until)
    row.holder, row.taken_at, row.expires_at = holder, now, now + dt.timedelta(seconds=seconds)
    session.add(row)
    session.flush()
    assert row.id is not None
    superseded = previous not in (None, holder)
    record_audit(
        session,
        at=now,
        actor=ACTOR,
        entity="lease",
        entity_id=row.id,
        action="supersede" if superseded else "take",
        from_state="expired" if superseded else ("held" if previous else "free"),
        to_state="held",
        why=f"{name} taken by {holder}"
        + (f"; {previous} stopped renewing it, expired {until.isoformat()}" if superseded else ""),
    )
    return LeaseState(True, holder, row.expires_at)


def renew(session: Session, *, name: str, holder: str, now: dt.datetime, seconds: float) -> bool:
    """Extend `holder`'s lease `name` by `seconds` from `now`; False if it holds it no more."""
    result = session.execute(
        update(Lease)
        .where(col(Lease.name) == name, col(Lease.holder) == holder)
        .values(expires_at=utc(now) + dt.timedelta(seconds=seconds))
    )
    return bool(result.rowcount == 1)  # type: ignore[attr-defined]


def release(session: Session, *, name: str, holder: str, now: dt.datetime) -> bool:
    """Give the lease `name` back if `holder` still holds it; False if it was superseded."""
    row = session.exec(
        select(Lease).where(Lease.name == name, Lease.holder == holder).with_for_update()
    ).first()
    if row is None:
        return False
    row.holder, row.expires_at = None, utc(now)
    session.add(row)
    assert row.id is not None
    record_audit(
        session,
        at=now,
        actor=ACTOR,
        entity="lease",
        entity_id=row.id,
        action="release",
        from_state="held",
        to_state="free",
        why=f"{name} released by {holder}",
    )
    return True


def holder_of(session: Session, *, name: str, now: dt.datetime) -> str | None:
    """Who holds an unexpired lease `name` now (None when it is free or expired)."""
    row = session.exec(select(Lease).where(Lease.name == name)).first()
    if row is None or row.holder is None or utc(row.expires_at) <= utc(now):
        return None
    return row.holder


def _locked_row(session: Session, name: str, now: dt.datetime) -> Lease:
    """The lease's row, created free if missing, locked for this transaction."""
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    # The insert takes SQLite's write lock (even when the row exists); FOR UPDATE takes
    # PostgreSQL's row lock: two takers at once are served one after the other.
    session.execute(
        insert(Lease)
        .values(name=name, holder=None, expires_at=now)
        .on_conflict_do_nothing(index_elements=["name"])
    )
    return session.exec(
        select(Lease)
        .where(Lease.name == name)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).one()
