"""The newest row of each table a change to the record writes to: a rendered page's version."""

from __future__ import annotations

from sqlalchemy import text
from sqlmodel import Session

_NEWEST = text(
    "SELECT (SELECT max(id) FROM auditevent), (SELECT max(id) FROM reminder), "
    "(SELECT max(id) FROM reportversion), (SELECT max(id) FROM draftcomment)"
)


def newest_ids(session: Session) -> tuple[int | None, ...]:
    """The largest ids of audit events, reminders, report versions and draft comments."""
    return tuple(session.execute(_NEWEST).one())
