"""Dashboard accounts: roles, passwords, inspectors' assignments, and managing them.

Every change is audited on the account (entity "user"). Disabling an account, resetting
its password or revoking its sessions ends every session it has; a disabled account cannot
sign in. Signing in and its throttle are in `sign_in`, sessions in `sessions`.

Each use case takes the record's session it works in and never commits (see `context`).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from sqlmodel import Session, col, delete, select

from inspectorate.adapters.database import utc
from inspectorate.adapters.models import Assignment, Body, User
from inspectorate.adapters.registry import find_body
from inspectorate.adapters.repository import get_inspection, record_audit
from inspectorate.domain.access import AccountRole
from inspectorate.domain.errors import InvalidInput, UnknownBody
from inspectorate.domain.login_throttle import ACCOUNT, ADDRESS
from inspectorate.services import sessions, sign_in
from inspectorate.services.sessions import Account as Account  # where callers look for it

ROLES = tuple(AccountRole)
_USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{2,79}$")


@dataclass(frozen=True)
class AccountSummary:
    """One account as `users list` shows it."""

    username: str
    role: str
    body: str | None
    created_at: dt.datetime
    last_login_at: dt.datetime | None
    disabled_at: dt.datetime | None
    locked_until: dt.datetime | None
    sessions: int
    inspections: list[int]


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
    password_hash = sign_in.hash_password(password)
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
        password_hash=password_hash,
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


def assign(
    session: Session, *, username: str, inspection_id: int, now: dt.datetime, actor: str = "users"
) -> bool:
    """Put an inspector on an inspection's team (audited); False if already there."""
    user = find_user(session, username=username)
    if user.role != AccountRole.INSPECTOR:
        raise InvalidInput(
            f"{username!r} is a {user.role} account: only an inspector's account joins a team"
        )
    if user.disabled_at is not None:
        raise InvalidInput(
            f"{username}'s account is disabled: enable it first (`inspectorate users enable "
            f"{username}`)"
        )
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
        actor=actor,
        entity="inspection",
        entity_id=inspection_id,
        inspection_id=inspection_id,
        action="inspector_assigned",
        to_state=username,
    )
    return True


def unassign(
    session: Session, *, username: str, inspection_id: int, actor: str, now: dt.datetime
) -> bool:
    """Take an inspector off an inspection's team (audited); False if they were not on it."""
    user = find_user(session, username=username)
    get_inspection(session, inspection_id=inspection_id)
    result = session.execute(
        delete(Assignment).where(
            col(Assignment.inspection_id) == inspection_id, col(Assignment.user_id) == user.id
        )
    )
    if not result.rowcount:  # type: ignore[attr-defined]
        return False
    record_audit(
        session,
        at=now,
        actor=actor,
        entity="inspection",
        entity_id=inspection_id,
        inspection_id=inspection_id,
        action="inspector_unassigned",
        from_state=username,
    )
    return True


def assigned_inspections(session: Session, *, user_id: int) -> set[int]:
    """The inspections an inspector is on."""
    return set(session.exec(select(Assignment.inspection_id).where(Assignment.user_id == user_id)))


def team_of(session: Session, *, inspection_id: int) -> list[str]:
    """The usernames on an inspection's team, by name."""
    return list(
        session.exec(
            select(User.username)
            .join(Assignment, col(Assignment.user_id) == col(User.id))
            .where(Assignment.inspection_id == inspection_id)
            .order_by(col(User.username))
        )
    )


def active_inspectors(session: Session) -> list[str]:
    """The usernames of the inspectors' accounts that are not disabled, by name."""
    return list(
        session.exec(
            select(User.username)
            .where(User.role == AccountRole.INSPECTOR, col(User.disabled_at).is_(None))
            .order_by(col(User.username))
        )
    )


def find_user(session: Session, *, username: str) -> User:
    """The account called `username`, or InvalidInput naming it."""
    user = session.exec(select(User).where(User.username == username)).first()
    if user is None:
        raise InvalidInput(f"no account is called {username!r} (see `inspectorate users list`)")
    return user


def list_users(session: Session, *, now: dt.datetime) -> list[AccountSummary]:
    """Every account by name: role, body, last sign-in, state, live sessions, inspections."""
    bodies = dict(session.exec(select(Body.id, Body.name)).all())
    live = sessions.live_sessions(session, now=now)
    locked = sign_in.locked_accounts(session, now=now)
    teams: dict[int, list[int]] = {}
    for user_id, inspection_id in session.exec(
        select(Assignment.user_id, Assignment.inspection_id).order_by(col(Assignment.inspection_id))
    ):
        teams.setdefault(user_id, []).append(inspection_id)
    return [
        AccountSummary(
            username=u.username,
            role=u.role.value,
            body=bodies.get(u.body_id) if u.body_id is not None else None,
            created_at=utc(u.created_at),
            last_login_at=utc(u.last_login_at) if u.last_login_at else None,
            disabled_at=utc(u.disabled_at) if u.disabled_at else None,
            locked_until=locked.get(u.username),
            sessions=live.get(u.id or 0, 0),
            inspections=teams.get(u.id or 0, []),
        )
        for u in session.exec(select(User).order_by(col(User.username)))
    ]


def disable(session: Session, *, username: str, actor: str, now: dt.datetime) -> bool:
    """Disable an account and end its sessions (audited); False if it was already disabled."""
    user = find_user(session, username=username)
    if user.disabled_at is not None:
        return False
    user.disabled_at = utc(now)
    session.add(user)
    ended = _end_sessions(session, user)
    _audit(session, user, actor, now, "user_disabled", f"{ended} session(s) ended", "disabled")
    return True


def enable(session: Session, *, username: str, actor: str, now: dt.datetime) -> bool:
    """Enable a disabled account and lift any sign-in lockout (audited); False if neither."""
    user = find_user(session, username=username)
    lifted = sign_in.unlock(session, kind=ACCOUNT, key=username, actor=actor, now=now)
    if user.disabled_at is None:
        return lifted
    user.disabled_at = None
    session.add(user)
    _audit(session, user, actor, now, "user_enabled", "", "enabled")
    return True


def unlock(session: Session, *, username: str, actor: str, now: dt.datetime) -> bool:
    """Lift the sign-in lockout of an account (audited); False if it was not locked."""
    find_user(session, username=username)
    return sign_in.unlock(session, kind=ACCOUNT, key=username, actor=actor, now=now)


def unlock_address(session: Session, *, address: str, actor: str, now: dt.datetime) -> bool:
    """Lift the sign-in lockout of a client address (audited); False if it was not locked."""
    return sign_in.unlock(session, kind=ADDRESS, key=address, actor=actor, now=now)


def reset_password(
    session: Session, *, username: str, password: str, actor: str, now: dt.datetime
) -> int:
    """Set a new password, end every session and lift any lockout (audited); sessions ended."""
    user = find_user(session, username=username)
    user.password_hash = sign_in.hash_password(password)
    session.add(user)
    ended = _end_sessions(session, user)
    sign_in.unlock(session, kind=ACCOUNT, key=username, actor=actor, now=now)
    _audit(session, user, actor, now, "password_reset", f"{ended} session(s) ended")
    return ended


def revoke(session: Session, *, username: str, actor: str, now: dt.datetime) -> int:
    """End every session of the account (audited); return how many were live."""
    user = find_user(session, username=username)
    live = sessions.live_sessions(session, now=now).get(user.id or 0, 0)
    _end_sessions(session, user)
    _audit(session, user, actor, now, "sessions_revoked", f"{live} live session(s) ended")
    return live


def _end_sessions(session: Session, user: User) -> int:
    assert user.id is not None
    return sessions.end_sessions(session, user_id=user.id)


def _audit(
    session: Session,
    user: User,
    actor: str,
    now: dt.datetime,
    action: str,
    why: str,
    to_state: str | None = None,
) -> None:
    assert user.id is not None
    record_audit(
        session,
        at=now,
        actor=actor,
        entity="user",
        entity_id=user.id,
        action=action,
        to_state=to_state,
        why=f"{user.username}" + (f": {why}" if why else ""),
    )
