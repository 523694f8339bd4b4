"""Moving one inspection's fieldwork: the date rules checked, open milestones re-planned."""

from __future__ import annotations

import datetime as dt

import pendulum
from sqlalchemy import delete
from sqlmodel import Session, col, select

from inspectorate.adapters.clock import LONDON
from inspectorate.adapters.database import utc
from inspectorate.adapters.models import Body, Inspection, Milestone, Programme, Reminder
from inspectorate.adapters.repository import get_inspection, record_audit
from inspectorate.adapters.rows import row_by_id
from inspectorate.domain.calendar import as_date
from inspectorate.domain.errors import InvalidInput, InvalidTransition
from inspectorate.domain.lifecycle import Status
from inspectorate.domain.milestones import plan_milestones
from inspectorate.domain.programmes import ProgrammeDefinition
from inspectorate.domain.reminders import NOTICE
from inspectorate.services.date_checks import check_dates

MOVABLE = (Status.PLANNED, Status.ANNOUNCED, Status.SAMPLE_SELECTED)


def reschedule(
    session: Session,
    *,
    inspection_id: int,
    fieldwork_start: dt.date,
    programmes: dict[str, ProgrammeDefinition],
    now: pendulum.DateTime,
    actor: str,
    why: str,
) -> tuple[dt.date, dt.date]:
    """Move the fieldwork to a new Monday; return (old start, new start).

    Refused when fieldwork has begun, or when the new date breaks a date rule
    (domain/date_rules.py: the same as scheduling, with notice counted from the real
    announcement once it has gone). Milestones already done keep their dates.
    """
    inspection, programme, milestones = _checked_move(
        session,
        inspection_id=inspection_id,
        fieldwork_start=fieldwork_start,
        programmes=programmes,
        now=now,
    )
    start = as_date(fieldwork_start)
    planned = {m.kind: m.due for m in plan_milestones(programme, start)}
    old = inspection.fieldwork_start
    for kind, milestone in milestones.items():
        if milestone.done_at is None:
            milestone.due_on = planned[kind]
            session.add(milestone)
    inspection.fieldwork_start = start
    inspection.updated_at = utc(now)
    session.add(inspection)
    ids = [m.id for m in milestones.values() if m.done_at is None]
    session.execute(
        delete(Reminder).where(
            col(Reminder.milestone_id).in_(ids),
            col(Reminder.sent_at).is_(None),
            col(Reminder.kind) != NOTICE,
        )
    )
    record_audit(
        session,
        at=now,
        actor=actor,
        entity="inspection",
        entity_id=inspection_id,
        inspection_id=inspection_id,
        action="reschedule",
        from_state=old.isoformat(),
        to_state=start.isoformat(),
        why=why or "rescheduled",
    )
    return old, start


def check_move(
    session: Session,
    *,
    inspection_id: int,
    fieldwork_start: dt.date,
    programmes: dict[str, ProgrammeDefinition],
    now: pendulum.DateTime,
) -> None:
    """Raise what `reschedule` would refuse, changing nothing (a check before a flow)."""
    _checked_move(
        session,
        inspection_id=inspection_id,
        fieldwork_start=fieldwork_start,
        programmes=programmes,
        now=now,
    )


def _checked_move(
    session: Session,
    *,
    inspection_id: int,
    fieldwork_start: dt.date,
    programmes: dict[str, ProgrammeDefinition],
    now: pendulum.DateTime,
) -> tuple[Inspection, ProgrammeDefinition, dict[str, Milestone]]:
    inspection = get_inspection(session, inspection_id=inspection_id)
    if Status(inspection.status) not in MOVABLE:
        raise InvalidTransition(
            f"inspection {inspection_id} is {inspection.status}; only "
            "inspections whose fieldwork has not begun can be moved"
        )
    row = row_by_id(session, Programme, inspection.programme_id)
    assert row is not None
    programme = programmes[row.code]
    start = as_date(fieldwork_start)
    if start == inspection.fieldwork_start:
        raise InvalidInput(
            f"inspection {inspection_id}'s fieldwork already starts on {start:%A} "
            f"{start.day} {start:%B %Y}; give the Monday it should move to",
            field="fieldwork_start",
        )
    milestones = {
        m.kind: m
        for m in session.exec(
            select(Milestone).where(Milestone.inspection_id == inspection_id)
        ).all()
    }
    announced = milestones["announcement"].done_at
    notice_from = (
        pendulum.instance(utc(announced)).in_timezone(LONDON).date() if announced else now.date()
    )
    body = row_by_id(session, Body, inspection.body_id)
    assert body is not None
    check_dates(
        session,
        programme=programme,
        programme_id=inspection.programme_id,
        body=body,
        fieldwork_start=start,
        notice_from=notice_from,
        announced=announced is not None,
        follow_up=inspection.parent_id is not None or inspection.kind != "inspection",
        moving=inspection_id,
    )
    return inspection, programme, milestones
