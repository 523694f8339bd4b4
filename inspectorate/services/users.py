"""Dashboard accounts: roles, passwords (argon2), inspectors' assignments, sign-in sessions.

A session cookie carries a random token; only its SHA-256 is stored, so a copy of the
database does not let anyone sign in. Each session has its own CSRF token for forms.

Each use case takes the record's session it works in and never commits (see `context`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, delete, select

from inspectorate.adapters.database import utc
from inspectorate.adapters.models import Assignment, User, WebSession
from inspectorate.adapters.registry import find_body
from inspectorate.adapters.repository import get_inspection, record_audit
from inspectorate.domain.access import AccountRole
from inspectorate.domain.errors import InvalidInput, UnknownBody

ROLES = tuple(AccountRole)
SESSION_HOURS = 12
MIN_PASSWORD = 10
_USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{2,79}$")
_HASHER = PasswordHasher()
_DUMMY = _HASHER.hash("not a real password")


@dataclass(frozen=True)
class Account:
    """Who is signed in: enough to decide what they may see and do."""

    id: int
    username: str
    role: AccountRole
    body_id: int | None
    csrf: str


def add_user(
    session: Session,
    *,
    username: str,
    role: AccountRole | str,
    password: str,
    body: str | None,
    now: dt.datetime,
) -> int:
    """Create an account (audited); a body's account names its body."""
    if not _USERNAME.match(username):
        raise InvalidInput(
            f"username {username!r}: use 3-80 lower-case letters, digits, '.', '_' or '-'"
        )
    if role not in ROLES:
        raise InvalidInput(f"role {role!r} is not one of {', '.join(ROLES)}", field="role")
    role = AccountRole(role)
    if len(password) < MIN_PASSWORD:
        raise InvalidInput(f"the password must have at least {MIN_PASSWORD} characters")
    if (role is AccountRole.BODY) != (body is not None):
        raise InvalidInput(
            "a body's account names its body, and no other account names one", field="body"
        )
    if session.exec(select(User).where(User.username == username)).first():
        raise InvalidInput(f"username {username!r} is taken")
    body_id = _body_id(session, body) if body else None
    user = User(
        username=username,
        role=role,
        body_id=body_id,
        password_hash=_HASHER.hash(password),
        created_at=utc(now),
    )
    session.add(user)
    session.flush()
    assert user.id is not None
    record_audit(
        session,
        at=now,
        actor="users",
        entity="user",
        entity_id=user.id,
        action="user_added",
        to_state=role,
        why=f"{username}" + (f" for {body}" if body else ""),
    )
    return user.id


def _body_id(session: Session, name: str) -> int:
    for kind in ("trust", "area", "yot"):
        try:
            body = find_body(session, name=name, kind=kind)
        except UnknownBody:
            continue
        assert body.id is not None
        return body.id
    raise InvalidInput(f"no probation area, trust or YOT is called {name!r}", field="body")


def assign(session: Session, *, username: str, inspection_id: int, now: dt.datetime) -> bool:
    """Put an inspector on an inspection's team; False if already there."""
    user = session.exec(select(User).where(User.username == username)).first()
    if user is None or user.role != AccountRole.INSPECTOR:
        raise InvalidInput(f"{username!r} is not an inspector's account")
    get_inspection(session, inspection_id=inspection_id)
    assert user.id is not None
    known = session.exec(
        select(Assignment).where(
            Assignment.inspection_id == inspection_id, Assignment.user_id == user.id
        )
    ).first()
    if known:
        return False
    session.add(Assignment(inspection_id=inspection_id, user_id=user.id))
    record_audit(
        session,
        at=now,
        actor="users",
        entity="inspection",
        entity_id=inspection_id,
        inspection_id=inspection_id,
        action="inspector_assigned",
        to_state=username,
    )
    return True


def assigned_inspections(session: Session, *, user_id: int) -> set[int]:
    """The inspections an inspector is on."""
    return set(session.exec(select(Assignment.inspection_id).where(Assignment.user_id == user_id)))


def authenticate(session: Session, *, username: str, password: str) -> User | None:
    """The account if the password is right (as slow either way, so names do not leak)."""
    user = session.exec(select(User).where(User.username == username)).first()
    try:
        _HASHER.verify(user.password_hash if user else _DUMMY, password)
    except (VerificationError, InvalidHashError):
        return None
    return user


def start_session(session: Session, *, user: User, now: dt.datetime) -> str:
    """Open a session for the user; return the token for the cookie."""
    token = secrets.token_urlsafe(32)
    assert user.id is not None
    session.add(
        WebSession(
            token_hash=_digest(token),
            user_id=user.id,
            csrf=secrets.token_urlsafe(32),
            expires_at=utc(now) + dt.timedelta(hours=SESSION_HOURS),
        )
    )
    return token


def session_account(session: Session, *, token: str, now: dt.datetime) -> Account | None:
    """The signed-in account for a cookie token, if the session is live."""
    # Plain columns, not ORM objects: this runs on every dashboard request.
    row = session.execute(
        sa_select(
            col(User.id),
            col(User.username),
            col(User.role),
            col(User.body_id),
            col(WebSession.csrf),
            col(WebSession.expires_at),
        )
        .join(User, col(User.id) == WebSession.user_id)
        .where(col(WebSession.token_hash) == _digest(token))
    ).first()
    if row is None or utc(row[5]) <= utc(now):
        return None
    return Account(row[0], row[1], row[2], row[3], row[4])


def end_session(session: Session, *, token: str) -> None:
    """Sign out: forget the session."""
    session.execute(delete(WebSession).where(col(WebSession.token_hash) == _digest(token)))


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
