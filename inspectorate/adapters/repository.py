"""Reading and writing the record. Keyword-only, typed functions; callers own the transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import pendulum
from sqlalchemy import Connection, bindparam, insert, update
from sqlmodel import Session, col, select

from inspectorate.adapters.database import utc
from inspectorate.adapters.models import AuditEvent, Body, Inspection, Milestone, Programme
from inspectorate.adapters.rows import insert_now, returning_all, row_by_id, update_held_row
from inspectorate.domain.errors import (
    InvalidTransition,
    NoticeTooShort,
    NotInitialised,
    UnknownInspection,
)
from inspectorate.domain.lifecycle import Stage, Status, next_status, status_after
from inspectorate.domain.milestones import earliest_fieldwork_start, plan_milestones
from inspectorate.domain.programmes import ProgrammeDefinition


def record_audit(
    session: Session,
    *,
    at: dt.datetime,
    actor: str,
    entity: str,
    entity_id: int,
    action: str,
    inspection_id: int | None = None,
    from_state: str | None = None,
    to_state: str | None = None,
    why: str = "",
) -> None:
    """Record one audit event in the session's transaction (it commits or rolls back with it).

    Inserted at once (`rows.insert_now`), not added as an object for the ORM's unit of work:
    some thirty-five an inspection, each an object's bookkeeping and flush of its own before.
    """
    row = audit_row(
        at=at,
        actor=actor,
        entity=entity,
        entity_id=entity_id,
        inspection_id=inspection_id,
        action=action,
        from_state=from_state,
        to_state=to_state,
        why=why,
    )
    insert_now(session, _INSERT_AUDIT, row)


_INSERT_AUDIT = insert(AuditEvent)
_WHY_LENGTH: int = AuditEvent.__table__.c.why.type.length  # type: ignore[attr-defined]


def audit_row(
    *,
    at: dt.datetime,
    actor: str,
    entity: str,
    entity_id: int,
    inspection_id: int | None,
    action: str,
    from_state: str | None,
    to_state: str | None,
    why: str,
) -> dict[str, object]:
    """One audit event as the values `insert_audits` takes."""
    return {
        "at": utc(at),
        "actor": actor,
        "entity": entity,
        "entity_id": entity_id,
        "inspection_id": inspection_id,
        "action": action,
        "from_state": from_state,
        "to_state": to_state,
        "why": why[:_WHY_LENGTH],  # cut, not refused: a mail to many, each refused at length
    }


def insert_audits(connection: Connection, events: list[dict[str, object]]) -> None:
    """Insert audit events (`audit_row`) in the connection's transaction, in one statement.

    Without the ORM's unit of work: for delivery, which records every run of mails it sends.
    """
    if events:
        connection.execute(_INSERT_AUDIT, events)


def get_programme_row(session: Session, *, code: str) -> Programme:
    """Return the stored programme `code` (loaded when the record is initialised)."""
    row = session.exec(select(Programme).where(Programme.code == code)).first()
    if row is None:
        raise NotInitialised(f"programme {code!r} is not loaded into the record yet")
    return row


def get_inspection(session: Session, *, inspection_id: int) -> Inspection:
    """Return inspection `inspection_id` or raise UnknownInspection."""
    inspection = row_by_id(session, Inspection, inspection_id)
    if inspection is None:
        raise UnknownInspection(f"no inspection with id {inspection_id}")
    return inspection


def schedule_inspection(
    session: Session,
    *,
    programme: ProgrammeDefinition,
    body: Body,
    fieldwork_start: pendulum.Date,
    now: pendulum.DateTime,
    actor: str,
    kind: str = "inspection",
    parent_id: int | None = None,
) -> tuple[Inspection, bool]:
    """Create a planned inspection with its milestones; return (inspection, created).

    Scheduling the same body, programme and fieldwork start again returns the existing one.
    Refuses when the announcement date has already passed: notice is never shortened.
    """
    programme_row = get_programme_row(session, code=programme.code)
    assert programme_row.id is not None and body.id is not None
    existing = session.exec(
        select(Inspection).where(
            Inspection.programme_id == programme_row.id,
            Inspection.body_id == body.id,
            Inspection.fieldwork_start == fieldwork_start,
        )
    ).first()
    if existing is not None:
        return existing, False
    planned = plan_milestones(programme, fieldwork_start)
    announcement = next(m for m in planned if m.rule.stage is Stage.ANNOUNCE)
    if announcement.due < now.date():
        earliest = earliest_fieldwork_start(programme, now.date())
        raise NoticeTooShort(
            f"fieldwork starting {fieldwork_start.isoformat()} must be announced by "
            f"{announcement.due.isoformat()}, which is before today ({now.date().isoformat()}); "
            f"the earliest Monday with full notice is {earliest.isoformat()}"
        )
    inspection = Inspection(
        programme_id=programme_row.id,
        body_id=body.id,
        kind=kind,
        status=Status.PLANNED,
        parent_id=parent_id,
        fieldwork_start=fieldwork_start,
        created_at=utc(now),
        updated_at=utc(now),
    )
    session.add(inspection)
    session.flush()
    assert inspection.id is not None
    for milestone in planned:
        session.add(
            Milestone(inspection_id=inspection.id, kind=milestone.kind, due_on=milestone.due)
        )
    record_audit(
        session,
        at=now,
        actor=actor,
        entity="inspection",
        entity_id=inspection.id,
        inspection_id=inspection.id,
        action="schedule",
        from_state=None,
        to_state=Status.PLANNED.value,
        why=f"{programme.code} {kind} of {body.name}, fieldwork from {fieldwork_start.isoformat()}",
    )
    return inspection, True


def milestones_of(session: Session, *, inspection_id: int) -> Sequence[Milestone]:
    """Return an inspection's milestones in due order."""
    return session.exec(
        select(Milestone)
        .where(Milestone.inspection_id == inspection_id)
        .order_by(col(Milestone.due_on), col(Milestone.id))
    ).all()


def audit_trail(session: Session, *, inspection_id: int) -> Sequence[AuditEvent]:
    """Return every audit event about an inspection, oldest first."""
    return session.exec(
        select(AuditEvent)
        .where(AuditEvent.inspection_id == inspection_id)
        .order_by(col(AuditEvent.at), col(AuditEvent.id))
    ).all()


def mark_milestone_done(
    session: Session, *, milestone: Milestone, now: dt.datetime, actor: str, why: str
) -> bool:
    """Set done_at once (compare-and-set); return False if it was already done."""
    assert milestone.id is not None
    if not update_held_row(
        session, milestone, _MARK_DONE, {"milestone_id": milestone.id, "at": utc(now)}
    ):
        return False
    record_audit(
        session,
        at=now,
        actor=actor,
        entity="milestone",
        entity_id=milestone.id,
        inspection_id=milestone.inspection_id,
        action="done",
        from_state="pending",
        to_state="done",
        why=why,
    )
    return True


def transition_inspection(
    session: Session,
    *,
    inspection_id: int,
    stage: Stage,
    now: pendulum.DateTime,
    actor: str,
    why: str = "",
) -> tuple[Inspection, bool]:
    """Move an inspection one legal step; return (inspection, moved).

    The status is changed with a conditional UPDATE (compare-and-set) so two workers racing
    cannot both apply a step. Replaying the step that was applied last is a no-op
    (moved=False), which makes a crashed flow safe to re-run.
    """
    inspection = get_inspection(session, inspection_id=inspection_id)
    current = Status(inspection.status)
    if stage is not Stage.CANCEL and current is status_after(stage):
        return inspection, False
    target = next_status(current, stage)
    # The row comes back whole: a reschedule committed meanwhile (PostgreSQL) is seen.
    params = {"inspection_id": inspection_id, "current": current.value, "target": target.value}
    if not update_held_row(session, inspection, _TRANSITION, {**params, "at": utc(now)}):
        raise InvalidTransition(
            f"inspection {inspection_id} changed status while {stage.value} was being applied; "
            "run the step again"
        )
    record_audit(
        session,
        at=now,
        actor=actor,
        entity="inspection",
        entity_id=inspection_id,
        inspection_id=inspection_id,
        action=stage.value,
        from_state=current.value,
        to_state=target.value,
        why=why,
    )
    return inspection, True


# Built once: every stage of every inspection runs them (compare-and-set, the row returned).
_MARK_DONE = returning_all(
    update(Milestone)
    .where(col(Milestone.id) == bindparam("milestone_id"), col(Milestone.done_at).is_(None))
    .values(done_at=bindparam("at")),
    Milestone,
)
_TRANSITION = returning_all(
    update(Inspection)
    .where(
        col(Inspection.id) == bindparam("inspection_id"),
        col(Inspection.status) == bindparam("current"),
    )
    .values(status=bindparam("target"), updated_at=bindparam("at")),
    Inspection,
)
