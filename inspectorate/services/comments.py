"""The body's comments on its draft: read, checked, kept once, and the window closed."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

from sqlmodel import Session, col, select

from inspectorate.adapters.database import utc
from inspectorate.adapters.models import DraftComment
from inspectorate.adapters.repository import get_inspection, record_audit
from inspectorate.domain.errors import InvalidFile, InvalidTransition
from inspectorate.domain.lifecycle import Status

MAX_BYTES = 200_000


def read_comments(path: Path) -> str:
    """Read a comments file: UTF-8 text, not empty, at most 200 kB."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InvalidFile(str(path), [f"cannot be read: {exc.strerror}"]) from exc
    if len(raw) > MAX_BYTES:
        raise InvalidFile(str(path), [f"{len(raw)} bytes: comments are limited to {MAX_BYTES}"])
    try:
        text = raw.decode("utf-8").strip()
    except UnicodeDecodeError as exc:
        raise InvalidFile(
            str(path), [f"not UTF-8 text (byte {exc.start}): save it as UTF-8"]
        ) from exc
    if not text:
        raise InvalidFile(str(path), ["is empty: write the comments in it"])
    return text


def record_comments(
    session: Session, *, inspection_id: int, text: str, author: str, now: dt.datetime
) -> bool:
    """Keep the body's comments while its draft is out; return False if already kept."""
    digest = hashlib.sha256(text.encode()).hexdigest()
    inspection = get_inspection(session, inspection_id=inspection_id)
    if inspection.status != Status.DRAFT_SENT.value:
        raise InvalidTransition(
            f"inspection {inspection_id} is {inspection.status}: comments are taken only "
            "while its draft is with the body, before the comment window closes"
        )
    known = session.exec(
        select(DraftComment).where(
            DraftComment.inspection_id == inspection_id, DraftComment.sha256 == digest
        )
    ).first()
    if known is not None:
        return False
    comment = DraftComment(
        inspection_id=inspection_id,
        author=author,
        text=text,
        sha256=digest,
        received_at=utc(now),
    )
    session.add(comment)
    session.flush()
    assert comment.id is not None
    record_audit(
        session,
        at=now,
        actor=author,
        entity="comment",
        entity_id=comment.id,
        inspection_id=inspection_id,
        action="comments_received",
        why=f"{len(text)} characters",
    )
    return True


def comments_on(session: Session, *, inspection_id: int) -> list[DraftComment]:
    """The comments received on the inspection's draft, oldest first."""
    return list(
        session.exec(
            select(DraftComment)
            .where(DraftComment.inspection_id == inspection_id)
            .order_by(col(DraftComment.id))
        )
    )
