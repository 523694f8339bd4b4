"""Signing in to the dashboard: passwords (argon2), throttled per account and per address.

The throttle is checked before any password is hashed, so a locked account or address costs
one indexed read, not an argon2 hash (64 MiB, tens of milliseconds). The rules are in
`domain/login_throttle.py`, the limits in the settings (INSPECTORATE_LOGIN_*). Each lockout
and each lift is audited; every refusal reads the same whether the account exists or not.

Each use case takes the record's session it works in and never commits (see `context`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import ColumnElement, and_
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col, delete, or_, select

from inspectorate.adapters.database import utc
from inspectorate.adapters.models import LoginThrottle, User
from inspectorate.adapters.repository import record_audit
from inspectorate.adapters.settings import Settings, get_settings
from inspectorate.domain.errors import InvalidInput
from inspectorate.domain.login_throttle import (
    ACCOUNT,
    ADDRESS,
    Failures,
    ThrottlePolicy,
    after_failure,
    refused_until,
)
from inspectorate.services import sessions

MIN_PASSWORD = 10
_HASHER = PasswordHasher()
_DUMMY = _HASHER.hash("not a real password")


@dataclass(frozen=True)
class SignIn:
    """The outcome: a session token, or a refusal (with when to try again if throttled)."""

    token: str | None = None
    retry_at: dt.datetime | None = None


def hash_password(password: str) -> str:
    """The argon2 hash of a new password, once it is long enough."""
    if len(password) < MIN_PASSWORD:
        raise InvalidInput(f"the password must have at least {MIN_PASSWORD} characters")
    return _HASHER.hash(password)


def policies(settings: Settings | None = None) -> dict[str, ThrottlePolicy]:
    """The throttle policy for account names and for client addresses, from the settings."""
    s = settings or get_settings()
    lockout = dt.timedelta(minutes=s.login_lockout_minutes)
    return {
        ACCOUNT: ThrottlePolicy(s.login_backoff_after, s.login_lockout_after, lockout),
        ADDRESS: ThrottlePolicy(
            s.login_address_backoff_after, s.login_address_lockout_after, lockout
        ),
    }


def sign_in(
    session: Session, *, username: str, password: str, address: str, now: dt.datetime
) -> SignIn:
    """Check the password unless throttled; open a session, or count the failure."""
    now = utc(now)
    keys = {ACCOUNT: username.strip().lower()[:100], ADDRESS: address[:100]}
    rules = policies()
    waits = [
        until
        for kind, key in keys.items()
        if (until := refused_until(_failures(session, kind, key), rules[kind], now)) is not None
    ]
    if waits:
        return SignIn(retry_at=max(waits))
    user = session.exec(select(User).where(User.username == keys[ACCOUNT])).first()
    real = user is not None and user.password_hash.startswith("$argon2")
    right = _verify(user.password_hash if user is not None and real else _DUMMY, password)
    if user is not None and real and right and user.disabled_at is None:
        assert user.id is not None
        session.execute(
            delete(LoginThrottle).where(_where(ACCOUNT, keys[ACCOUNT])),
            execution_options={"synchronize_session": False},
        )
        user.last_login_at = now
        session.add(user)
        return SignIn(token=sessions.start_session(session, user_id=user.id, now=now))
    _purge_stale(session, now, max(p.lockout for p in rules.values()))
    for kind, key in keys.items():
        _count_failure(session, kind, key, rules[kind], now)
    return SignIn()


def locked_accounts(session: Session, *, now: dt.datetime) -> dict[str, dt.datetime]:
    """Account names locked out at `now`, with when each lockout ends."""
    rows = session.exec(
        select(LoginThrottle).where(
            LoginThrottle.kind == ACCOUNT, col(LoginThrottle.locked_until) > utc(now)
        )
    )
    return {r.key: utc(r.locked_until) for r in rows if r.locked_until is not None}


def unlock(session: Session, *, kind: str, key: str, actor: str, now: dt.datetime) -> bool:
    """Lift the lockout of an account name or client address and forget its failures.

    Audited when there was a lockout to lift; False if there was none.
    """
    row = session.exec(select(LoginThrottle).where(_where(kind, key))).first()
    if row is None:
        return False
    locked = row.locked_until is not None and utc(row.locked_until) > utc(now)
    session.delete(row)
    if locked:
        assert row.id is not None
        entity, entity_id = _entity(session, kind, key, row.id)
        record_audit(
            session,
            at=now,
            actor=actor,
            entity=entity,
            entity_id=entity_id,
            action="login_unlocked",
            from_state="locked",
            why=f"{kind} {key}: lockout lifted by {actor}",
        )
    return locked


def _verify(password_hash: str, password: str) -> bool:
    try:
        return _HASHER.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def _where(kind: str, key: str) -> ColumnElement[bool]:
    return and_(col(LoginThrottle.kind) == kind, col(LoginThrottle.key) == key)


def _state(row: LoginThrottle | None) -> Failures:
    if row is None:
        return Failures()
    locked = utc(row.locked_until) if row.locked_until is not None else None
    return Failures(row.failures, utc(row.last_failure_at), locked)


def _failures(session: Session, kind: str, key: str) -> Failures:
    return _state(session.exec(select(LoginThrottle).where(_where(kind, key))).first())


def _entity(session: Session, kind: str, key: str, row_id: int) -> tuple[str, int]:
    """What a lockout's audit event is about: the account if it exists, else the throttle row."""
    if kind == ACCOUNT:
        user_id = session.exec(select(User.id).where(User.username == key)).first()
        if user_id is not None:
            return "user", user_id
    return "login", row_id


def _count_failure(
    session: Session, kind: str, key: str, policy: ThrottlePolicy, now: dt.datetime
) -> None:
    """One more wrong password for the key, counted under a row lock; audit a new lockout."""
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    session.execute(
        insert(LoginThrottle)
        .values(kind=kind, key=key, failures=0, last_failure_at=now)
        .on_conflict_do_nothing(index_elements=["kind", "key"])
    )
    # The insert took SQLite's write lock; FOR UPDATE takes PostgreSQL's row lock, so two
    # failures at once are both counted. populate_existing: the row read earlier is stale.
    row = session.exec(
        select(LoginThrottle)
        .where(_where(kind, key))
        .with_for_update()
        .execution_options(populate_existing=True)
    ).one()
    state = after_failure(_state(row), policy, now)
    row.failures, row.last_failure_at, row.locked_until = state.count, now, state.locked_until
    session.add(row)
    if state.locked_until is None:
        return
    session.flush()
    assert row.id is not None
    entity, entity_id = _entity(session, kind, key, row.id)
    record_audit(
        session,
        at=now,
        actor="sign-in",
        entity=entity,
        entity_id=entity_id,
        action="login_locked",
        to_state="locked",
        why=f"{kind} {key}: {state.count} wrong passwords; locked until "
        f"{state.locked_until.isoformat(timespec='seconds')}",
    )


def _purge_stale(session: Session, now: dt.datetime, longest: dt.timedelta) -> None:
    """Forget throttle rows nobody has failed on lately and that hold no live lockout."""
    session.execute(
        delete(LoginThrottle).where(
            col(LoginThrottle.last_failure_at) < now - longest,
            or_(col(LoginThrottle.locked_until).is_(None), col(LoginThrottle.locked_until) < now),
        ),
        execution_options={"synchronize_session": False},
    )
