"""Rows by their id: what Session.get does, at a third of its cost.

Session.get builds its query afresh on every call (about 0.45 ms here against 0.16 ms for a
query built once), and the lifecycle reads an inspection, milestone or body by id a hundred
times an inspection. Rows the session already holds are returned as Session.get would.
"""

from __future__ import annotations

from functools import cache
from typing import TypeVar

from sqlalchemy import bindparam
from sqlalchemy.orm.util import identity_key
from sqlmodel import Session, SQLModel, col, select
from sqlmodel.sql.expression import SelectOfScalar

Row = TypeVar("Row", bound=SQLModel)


def row_by_id(session: Session, model: type[Row], row_id: int) -> Row | None:
    """The row of `model` whose id is `row_id`, or None: the session's own copy if it holds one."""
    if identity_key(model, row_id) in session.identity_map:
        return session.get(model, row_id)  # no query, unless its copy expired (then reloaded)
    return session.exec(_by_id(model), params={"row_id": row_id}).first()


@cache
def _by_id(model: type[Row]) -> SelectOfScalar[Row]:
    return select(model).where(col(model.id) == bindparam("row_id"))  # type: ignore[attr-defined]
