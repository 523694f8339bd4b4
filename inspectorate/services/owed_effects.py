"""The outbox: what a stage owes, written with the stage and marked when it has been done.

A stage writes its owed effects (inspectorate.domain.stage_effects) in its own transaction;
the path that took the stage carries them out straight after, and every sweep finishes any
an earlier run left (a crash, a failed render). Each effect is idempotent, and the documents
effect is marked done in the same transaction that records the documents.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import bindparam, func, insert, update
from sqlmodel import Session, col, select

from inspectorate.adapters.database import utc
from inspectorate.adapters.models import OwedEffect
from inspectorate.adapters.rows import insert_now, plain_rows, run_on_connection
from inspectorate.domain.lifecycle import Stage
from inspectorate.domain.stage_effects import Effect, effects_of


@dataclass(frozen=True)
class Owed:
    """One effect still owed by one inspection's stage."""

    inspection_id: int
    stage: Stage
    effect: Effect
    attempts: int


def owe_effects(
    session: Session, *, inspection_id: int, stage: Stage, now: dt.datetime, server_mode: bool
) -> list[Effect]:
    """Record every effect `stage` owes (in the caller's transaction, with the stage)."""
    owed = list(effects_of(stage, server_mode=server_mode))
    params = {"inspection_id": inspection_id, "stage": stage.value}
    known = {effect for (effect,) in plain_rows(session, _KNOWN, params)}
    new = [
        {**params, "effect": effect.value, "owed_at": utc(now)}
        for effect in owed
        if effect.value not in known
    ]
    if new:  # in the stage's transaction, without an object for the unit of work
        insert_now(session, _OWE, new)
    return owed


_OWE = insert(OwedEffect)  # built once: most stages owe something


def still_owed(session: Session, *, inspection_id: int | None = None) -> list[Owed]:
    """Every effect not yet done (for one inspection, or all), oldest first."""
    query = select(OwedEffect).where(col(OwedEffect.done_at).is_(None))
    if inspection_id is not None:
        query = query.where(OwedEffect.inspection_id == inspection_id)
    return [
        Owed(row.inspection_id, Stage(row.stage), Effect(row.effect), row.attempts)
        for row in session.exec(query.order_by(col(OwedEffect.id)))
    ]


def count_owed(session: Session) -> int:
    """How many effects are still owed."""
    return int(plain_rows(session, _COUNT_OWED, {})[0][0])


def _one(inspection_id: int, stage: Stage, effect: Effect) -> tuple[Any, ...]:
    """The conditions naming one inspection's stage's effect."""
    return (
        col(OwedEffect.inspection_id) == inspection_id,
        col(OwedEffect.stage) == stage.value,
        col(OwedEffect.effect) == effect.value,
    )


def mark_done(
    session: Session, *, inspection_id: int, stage: Stage, effect: Effect, now: dt.datetime
) -> bool:
    """Mark the effect done (a no-op when it was not owed or is done already).

    Through the connection, not the ORM: an OwedEffect object this session held would keep
    its old `done_at` (no caller holds one when it marks: each marks in a session of its own).
    """
    params = {"of_inspection": inspection_id, "of_stage": stage.value, "of_effect": effect.value}
    result = run_on_connection(session, _MARK_DONE, {**params, "at": utc(now)})
    return bool(result.rowcount)


def done_elsewhere(
    session: Session, *, inspection_id: int, stage: Stage, effect: Effect, now: dt.datetime
) -> bool:
    """Mark the effect done first thing; True when another run had already done it.

    The update is the transaction's first write, so it waits for a racing run's transaction
    and then sees its mark: two sweeps never both carry out the same effect. An effect that
    was never owed (a person regenerating documents) is not done elsewhere.
    """
    if mark_done(session, inspection_id=inspection_id, stage=stage, effect=effect, now=now):
        return False
    return (
        session.exec(select(OwedEffect.id).where(*_one(inspection_id, stage, effect))).first()
        is not None
    )


def record_failure(
    session: Session, *, inspection_id: int, stage: Stage, effect: Effect, error: str
) -> None:
    """Count a failed attempt and keep why (it stays owed: the next sweep tries again)."""
    session.execute(
        update(OwedEffect)
        .where(*_one(inspection_id, stage, effect), col(OwedEffect.done_at).is_(None))
        .values(attempts=OwedEffect.attempts + 1, last_error=error[:500])
    )


_COUNT_OWED = select(func.count()).select_from(OwedEffect).where(col(OwedEffect.done_at).is_(None))

# Built once: every stage of every inspection owes, and has marked done, what it writes.
_KNOWN = select(col(OwedEffect.effect)).where(
    col(OwedEffect.inspection_id) == bindparam("inspection_id"),
    col(OwedEffect.stage) == bindparam("stage"),
)
_MARK_DONE = (
    update(OwedEffect)
    .where(
        # Not the columns' own names: an UPDATE keeps those for its SET clause.
        col(OwedEffect.inspection_id) == bindparam("of_inspection"),
        col(OwedEffect.stage) == bindparam("of_stage"),
        col(OwedEffect.effect) == bindparam("of_effect"),
        col(OwedEffect.done_at).is_(None),
    )
    .values(done_at=bindparam("at"))
)
