"""Scheduling an inspection and moving its fieldwork: one transaction each.

Both check the date rules (domain/date_rules.py, through services/date_checks.py).
"""

from __future__ import annotations

import datetime as dt

from sqlmodel import Session, select

from inspectorate.adapters.models import Inspection
from inspectorate.adapters.registry import find_body
from inspectorate.adapters.repository import (
    get_inspection,
    get_programme_row,
    schedule_inspection,
)
from inspectorate.domain.errors import InvalidInput
from inspectorate.domain.programmes import find_programme
from inspectorate.domain.triggers import FollowUpKind
from inspectorate.services import context
from inspectorate.services.date_checks import check_dates
from inspectorate.services.rescheduling import check_move
from inspectorate.services.rescheduling import reschedule as move_fieldwork


def schedule(
    session: Session,
    *,
    body_name: str,
    programme_code: str,
    fieldwork_start: dt.date,
    actor: str,
    now: dt.datetime | None = None,
    follow_up_of: int | None = None,
) -> tuple[int, bool]:
    """Schedule an inspection and plan its milestones; return (inspection id, created).

    Scheduling the same body, programme and Monday again returns the inspection already
    there. A new one must pass every date rule; with `follow_up_of` it is a follow-up of
    that inspection of the same body, which may fall in the same cycle.
    """
    programme = find_programme(context.programmes(), programme_code)
    body = find_body(session, name=body_name, kind=programme.body_kind)
    start, at = context.day(fieldwork_start), context.moment(now)
    row = get_programme_row(session, code=programme.code)
    assert row.id is not None and body.id is not None
    existing = session.exec(
        select(Inspection).where(
            Inspection.programme_id == row.id,
            Inspection.body_id == body.id,
            Inspection.fieldwork_start == start,
        )
    ).first()
    if existing is not None and existing.id is not None:
        return existing.id, False
    if follow_up_of is not None:
        parent = get_inspection(session, inspection_id=follow_up_of)
        if parent.body_id != body.id:
            raise InvalidInput(
                f"inspection {follow_up_of} is not of {body.name}; a follow-up is of the same body",
                field="follow_up_of",
            )
    check_dates(
        session,
        programme=programme,
        programme_id=row.id,
        body=body,
        fieldwork_start=start,
        notice_from=at.date(),
        follow_up=follow_up_of is not None,
    )
    inspection, created = schedule_inspection(
        session,
        programme=programme,
        body=body,
        fieldwork_start=start,
        now=at,
        actor=actor,
        kind="inspection" if follow_up_of is None else FollowUpKind.FOLLOW_UP.value,
        parent_id=follow_up_of,
    )
    assert inspection.id is not None
    return inspection.id, created


def reschedule(
    session: Session,
    *,
    inspection_id: int,
    fieldwork_start: dt.date,
    why: str,
    actor: str,
    now: dt.datetime | None = None,
) -> tuple[dt.date, dt.date]:
    """Move an inspection's fieldwork and re-plan its open milestones."""
    return move_fieldwork(
        session,
        inspection_id=inspection_id,
        fieldwork_start=fieldwork_start,
        programmes=context.programmes(),
        now=context.moment(now),
        actor=actor,
        why=why,
    )


def check_reschedule(
    session: Session,
    *,
    inspection_id: int,
    fieldwork_start: dt.date,
    now: dt.datetime | None = None,
) -> None:
    """Raise what `reschedule` would refuse, changing nothing."""
    check_move(
        session,
        inspection_id=inspection_id,
        fieldwork_start=fieldwork_start,
        programmes=context.programmes(),
        now=context.moment(now),
    )
