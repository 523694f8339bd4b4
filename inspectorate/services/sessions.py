"""Dashboard sign-in sessions: opened, found from a cookie's token, ended, purged on expiry.

A session cookie carries a random token; only its SHA-256 is stored, so a copy of the
database does not let anyone sign in. Each session has its own CSRF token for forms. A
session lasts SESSION_HOURS; expired rows are deleted whenever a session is opened or an
expired one is presented (by the indexed expiry), so the table holds live sessions only.

Each use case takes the record's session it works in and never commits (see `context`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from sqlalchemy import func
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, delete

from inspectorate.adapters.database import utc
from inspectorate.adapters.models import User, WebSession
from inspectorate.domain.access import AccountRole

SESSION_HOURS = 12


@dataclass(frozen=True)
class Account:
    """Who is signed in: enough to decide what they may see and do."""

    id: int
    username: str
    role: AccountRole
    body_id: int | None
    csrf: str


def start_session(session: Session, *, user_id: int, now: dt.datetime) -> str:
    """Open a session for the account (expired ones are purged); return the cookie's token."""
    purge_expired(session, now=now)
    token = secrets.token_urlsafe(32)
    session.add(
        WebSession(
            token_hash=_digest(token),
            user_id=user_id,
            csrf=secrets.token_urlsafe(32),
            expires_at=utc(now) + dt.timedelta(hours=SESSION_HOURS),
        )
    )
    return token


def session_account(session: Session, *, token: str, now: dt.datetime) -> Account | None:
    """The signed-in account for a cookie token, if the session is live and the account enabled.

    An expired session never authenticates; finding one purges every expired session (the
    caller commits). A live session writes nothing: this runs on every dashboard request.
    """
    row = session.execute(
        sa_select(
            col(User.id),
            col(User.username),
            col(User.role),
            col(User.body_id),
            col(WebSession.csrf),
            col(WebSession.expires_at),
            col(User.disabled_at),
        )
        .join(User, col(User.id) == WebSession.user_id)
        .where(col(WebSession.token_hash) == _digest(token))
    ).first()
    if row is None:
        return None
    if utc(row[5]) <= utc(now):
        purge_expired(session, now=now)
        return None
    if row[6] is not None:
        return None
    return Account(row[0], row[1], row[2], row[3], row[4])


def end_session(session: Session, *, token: str) -> None:
    """Sign out: forget the session."""
    session.execute(delete(WebSession).where(col(WebSession.token_hash) == _digest(token)))


def end_sessions(session: Session, *, user_id: int) -> int:
    """End every session of the account; return how many there were (live or not)."""
    result = session.execute(delete(WebSession).where(col(WebSession.user_id) == user_id))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def purge_expired(session: Session, *, now: dt.datetime) -> int:
    """Delete every expired session; return how many."""
    result = session.execute(
        delete(WebSession).where(col(WebSession.expires_at) <= utc(now)),
        execution_options={"synchronize_session": False},
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def live_sessions(session: Session, *, now: dt.datetime) -> dict[int, int]:
    """How many live sessions each account has (accounts with none are left out)."""
    rows = session.execute(
        sa_select(col(WebSession.user_id), func.count())
        .where(col(WebSession.expires_at) > utc(now))
        .group_by(col(WebSession.user_id))
    )
    return {user_id: count for user_id, count in rows}


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
