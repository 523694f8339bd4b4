"""Signing off the draft and the publication, and what a held milestone waits for.

Each use case takes the record's session it works in and never commits (see `context`).
"""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass

import sqlalchemy
from sqlalchemy import bindparam
from sqlmodel import Session, col, select

from inspectorate.adapters.casework import stored_score_rows
from inspectorate.adapters.database import utc
from inspectorate.adapters.models import Assignment, ReportText, SignOff, User
from inspectorate.adapters.repository import get_inspection, record_audit
from inspectorate.adapters.rows import plain_rows
from inspectorate.domain.access import AccountRole
from inspectorate.domain.errors import InvalidInput, InvalidTransition
from inspectorate.domain.lifecycle import Stage, Status
from inspectorate.domain.sign_off import SIGN_OFFS, hold_reason, sign_off_command, sign_off_rule
from inspectorate.domain.team_text import (
    check_team_text,
    missing_team_text,
    scores_digest,
    team_text_digest,
)
from inspectorate.services.frameworks_in_use import framework_of


@dataclass(frozen=True)
class SignOffView:
    """A recorded sign-off, as shown to people."""

    stage: str
    signed_by: str
    role: str
    signed_at: dt.datetime
    current: bool  # still on the team's text and the scores as they stand
    why: str


@dataclass(frozen=True)
class _Content:
    """What a sign-off is of: the digests of the team's text and of the stored scores."""

    text: str
    scores: str

    def held_by(self, text_sha256: str, scores_sha256: str | None) -> bool:
        """Whether a sign-off of these digests still holds (one given before scores were
        signed off too, with none, is judged on the text alone)."""
        return text_sha256 == self.text and scores_sha256 in (None, self.scores)


def _content_now(session: Session, inspection_id: int, text: str) -> _Content:
    rows = stored_score_rows(session, inspection_id=inspection_id)
    return _Content(team_text_digest(text), scores_digest(rows))


def _what_changed(content: _Content, signed: list[tuple[str, str | None]]) -> str | None:
    """None if one of the sign-offs `signed` holds; else what changed since the latest."""
    if not signed or any(content.held_by(*digests) for digests in signed):
        return None
    text_sha256, _scores = signed[-1]
    return "the scores" if text_sha256 == content.text else "the team's text"


def _text_now(session: Session, inspection_id: int) -> str:
    found = plain_rows(session, _TEXT_NOW, {"inspection_id": inspection_id})
    return found[0][0] if found else ""


# Built once: asked at every stage a sign-off holds, and at every sign-off.
_TEXT_NOW = sqlalchemy.select(col(ReportText.text)).where(
    col(ReportText.inspection_id) == bindparam("inspection_id")
)
_USER = select(User).where(col(User.username) == bindparam("username"))
_ON_TEAM = sqlalchemy.select(col(Assignment.id)).where(
    col(Assignment.inspection_id) == bindparam("inspection_id"),
    col(Assignment.user_id) == bindparam("user_id"),
)
_DIGESTS = (
    sqlalchemy.select(col(SignOff.text_sha256), col(SignOff.scores_sha256))
    .where(
        col(SignOff.inspection_id) == bindparam("inspection_id"),
        col(SignOff.stage) == bindparam("stage"),
    )
    .order_by(col(SignOff.id))
)


def missing_text(session: Session, *, inspection_id: int, text: str | None = None) -> list[str]:
    """What the inspection's report still lacks of the team's text (`text`: as stored now)."""
    outcome_ids = [h.id for h in framework_of(session, inspection_id=inspection_id).headlines]
    if text is None:
        text = _text_now(session, inspection_id)
    try:
        editable = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return ["the stored text is not readable TOML (store a corrected one)"]
    where = f"the team's text stored for inspection {inspection_id} (store a corrected one)"
    return missing_team_text(check_team_text(editable, outcome_ids, where), outcome_ids)


def held_because(session: Session, *, inspection_id: int, stage: Stage) -> str | None:
    """Why `stage` must wait for a person (no valid sign-off, or missing text), or None."""
    if stage not in SIGN_OFFS:
        return None
    text = _text_now(session, inspection_id)
    params = {"inspection_id": inspection_id, "stage": stage.value}
    signed = [(t, sc) for t, sc in plain_rows(session, _DIGESTS, params)]
    changed = None  # the scores are read only when there is a sign-off to compare them with
    if signed:
        changed = _what_changed(_content_now(session, inspection_id, text), signed)
    return hold_reason(
        stage,
        signed=bool(signed),
        changed=changed,
        missing_text=missing_text(session, inspection_id=inspection_id, text=text),
    )


def require_sign_off(session: Session, *, inspection_id: int, stage: Stage) -> None:
    """Refuse `stage` unless it has been signed off on the team's current text."""
    reason = held_because(session, inspection_id=inspection_id, stage=stage)
    if reason is not None:
        raise InvalidTransition(
            f"inspection {inspection_id}: {reason} (`{sign_off_command(inspection_id, stage)}`)"
        )


def _signer(session: Session, *, username: str, role: AccountRole, inspection_id: int) -> User:
    user = session.exec(_USER, params={"username": username}).first()
    if user is None:
        raise InvalidInput(
            f"no account is called {username!r}: sign off as a named person with an account "
            "(`inspectorate users add NAME --role ...`)",
            field="by",
        )
    if user.disabled_at is not None:
        raise InvalidInput(
            f"{username}'s account is disabled: a disabled account signs nothing off "
            f"(`inspectorate users enable {username}`, or sign off as someone else)",
            field="by",
        )
    if user.role is not role:
        raise InvalidInput(
            f"{username} is {_a(user.role.value)}: this sign-off needs {_a(role.value)}",
            field="by",
        )
    if role is AccountRole.INSPECTOR:
        params = {"inspection_id": inspection_id, "user_id": user.id}
        if not plain_rows(session, _ON_TEAM, params):
            raise InvalidInput(
                f"{username} is not on the team of inspection {inspection_id}: the lead "
                f"inspector signs off the draft (`inspectorate users assign {username} "
                f"{inspection_id}`)",
                field="by",
            )
    return user


def _a(noun: str) -> str:
    return f"an {noun}" if noun[:1] in "aeiou" else f"a {noun}"


def sign_off(
    session: Session,
    *,
    inspection_id: int,
    what: str,
    username: str,
    now: dt.datetime,
    why: str = "",
) -> bool:
    """Record `username`'s sign-off of the draft or publication (audited); False if repeated."""
    rule = sign_off_rule(what)
    inspection = get_inspection(session, inspection_id=inspection_id)
    if Status(inspection.status) not in rule.signable:
        ready = " or ".join(s.value for s in sorted(rule.signable))
        raise InvalidTransition(
            f"inspection {inspection_id} is {inspection.status}: the {rule.name} is signed "
            f"off when it is {ready}"
        )
    user = _signer(session, username=username, role=rule.role, inspection_id=inspection_id)
    text = _text_now(session, inspection_id)
    missing = missing_text(session, inspection_id=inspection_id, text=text)
    if missing:
        raise InvalidTransition(
            f"the report of inspection {inspection_id} still lacks the team's text for "
            f"{', '.join(missing[:3])}{' …' if len(missing) > 3 else ''}: store it "
            f"(`inspectorate report text {inspection_id} FILE`) before signing off"
        )
    content = _content_now(session, inspection_id, text)
    params = {"inspection_id": inspection_id, "stage": rule.stage.value}
    if any(content.held_by(*known) for known in plain_rows(session, _DIGESTS, params)):
        return False
    session.add(
        SignOff(
            inspection_id=inspection_id,
            stage=rule.stage.value,
            signed_by=user.username,
            role=user.role.value,
            text_sha256=content.text,
            scores_sha256=content.scores,
            signed_at=utc(now),
            why=why,
        )
    )
    record_audit(
        session,
        at=now,
        actor=user.username,
        entity="inspection",
        entity_id=inspection_id,
        inspection_id=inspection_id,
        action="signed_off",
        to_state=rule.name,
        why=why or f"{rule.name} signed off by {user.username} ({rule.signer})",
    )
    return True


def sign_offs_of(session: Session, *, inspection_id: int) -> list[SignOffView]:
    """Every sign-off of the inspection, oldest first, saying which still hold."""
    content = _content_now(session, inspection_id, _text_now(session, inspection_id))
    rows = session.exec(
        select(SignOff)
        .where(SignOff.inspection_id == inspection_id)
        .order_by(col(SignOff.signed_at), col(SignOff.id))
    )
    return [
        SignOffView(
            SIGN_OFFS[Stage(r.stage)].name,
            r.signed_by,
            r.role,
            r.signed_at,
            content.held_by(r.text_sha256, r.scores_sha256),
            r.why,
        )
        for r in rows
    ]


@dataclass(frozen=True)
class SignOffState:
    """Where the inspection's sign-offs stand against the team's text as it is now."""

    signed: frozenset[Stage]  # signed off on the current text
    text_complete: bool


def sign_off_state(session: Session, *, inspection_id: int) -> SignOffState:
    """The stages signed off on the team's current text, and whether that text is complete."""
    complete = not missing_text(session, inspection_id=inspection_id)
    signed = frozenset(
        sign_off_rule(s.stage).stage
        for s in sign_offs_of(session, inspection_id=inspection_id)
        if s.current and complete
    )
    return SignOffState(signed, complete)


def sign_off_undone(session: Session, *, inspection_id: int) -> tuple[Stage, str] | None:
    """The sign-off due at the inspection's status that no longer holds since its text or
    scores changed, and why (to say so at once, not at the next sweep), or None."""
    inspection = get_inspection(session, inspection_id=inspection_id)
    text = _text_now(session, inspection_id)
    for stage, rule in SIGN_OFFS.items():
        if Status(inspection.status) not in rule.signable:
            continue
        params = {"inspection_id": inspection_id, "stage": stage.value}
        signed = [(t, sc) for t, sc in plain_rows(session, _DIGESTS, params)]
        changed = _what_changed(_content_now(session, inspection_id, text), signed)
        if changed is not None:
            return stage, (
                f"the {rule.name}'s sign-off no longer holds: {changed} changed after "
                f"{rule.signer} signed it off, so {rule.signer} signs off the {rule.name} again"
            )
    return None
