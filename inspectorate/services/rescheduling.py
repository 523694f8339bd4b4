"""Moving one inspection's fieldwork: notice and team capacity checked, milestones re-planned."""

from __future__ import annotations

import datetime as dt

import pendulum
from sqlalchemy import delete
from sqlmodel import Session, col, select

from inspectorate.adapters.clock import LONDON
from inspectorate.adapters.database import utc
from inspectorate.adapters.models import Inspection, Milestone, Programme, Reminder
from inspectorate.adapters.repository import get_inspection, record_audit
from inspectorate.domain.calendar import as_date
from inspectorate.domain.errors import InvalidTransition, NoticeTooShort, Unschedulable
from inspectorate.domain.lifecycle import Status
from inspectorate.domain.milestones import plan_milestones
from inspectorate.domain.planning import fieldwork_weeks
from inspectorate.domain.programmes import ProgrammeDefinition
from inspectorate.domain.reminders import NOTICE

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

    Refused when fieldwork has begun, when the new date would shorten the ten weeks' notice
    (counted from the real announcement once it has gone), or when a team would be needed
    in a week already at capacity. Milestones already done keep their dates.
    """
    inspection = get_inspection(session, inspection_id=inspection_id)
    if Status(inspection.status) not in MOVABLE:
        raise InvalidTransition(
            f"inspection {inspection_id} is {inspection.status}; only "
            "inspections whose fieldwork has not begun can be moved"
        )
    row = session.get(Programme, inspection.programme_id)
    assert row is not None
    programme = programmes[row.code]
    start = as_date(fieldwork_start)
    planned = {m.kind: m.due for m in plan_milestones(programme, start)}
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
    if planned["announcement"] < notice_from:
        since = "was announced on" if announced else "cannot be announced before"
        raise NoticeTooShort(
            f"fieldwork from {start.isoformat()} needs notice from {planned['announcement']}, "
            f"but the inspection {since} {notice_from.isoformat()}; choose a later Monday"
        )
    _check_capacity(session, inspection, programme, start)
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


def _check_capacity(
    session: Session, inspection: Inspection, programme: ProgrammeDefinition, start: pendulum.Date
) -> None:
    if programme.planning is None:
        return
    weeks = set(fieldwork_weeks(programme, start))
    others = session.exec(
        select(Inspection).where(
            Inspection.programme_id == inspection.programme_id,
            Inspection.id != inspection.id,
            Inspection.status != Status.CANCELLED.value,
        )
    ).all()
    for week in sorted(weeks):
        busy = [
            o.id for o in others if week in fieldwork_weeks(programme, as_date(o.fieldwork_start))
        ]
        if len(busy) >= programme.planning.team_capacity:
            raise Unschedulable(
                f"the week of {week.isoformat()} already has {len(busy)} inspection(s) in "
                f"fieldwork ({', '.join(map(str, busy))}); the team capacity is "
                f"{programme.planning.team_capacity}"
            )
