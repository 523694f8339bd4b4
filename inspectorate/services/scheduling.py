"""Scheduling an inspection and moving its fieldwork: one transaction each."""

from __future__ import annotations

import datetime as dt

from sqlmodel import Session

from inspectorate.adapters.registry import find_body
from inspectorate.adapters.repository import schedule_inspection
from inspectorate.domain.programmes import find_programme
from inspectorate.services import context
from inspectorate.services.rescheduling import reschedule as move_fieldwork


def schedule(
    session: Session,
    *,
    body_name: str,
    programme_code: str,
    fieldwork_start: dt.date,
    actor: str,
    now: dt.datetime | None = None,
) -> tuple[int, bool]:
    """Schedule an inspection and plan its milestones; return (inspection id, created)."""
    programme = find_programme(context.programmes(), programme_code)
    body = find_body(session, name=body_name, kind=programme.body_kind)
    inspection, created = schedule_inspection(
        session,
        programme=programme,
        body=body,
        fieldwork_start=context.day(fieldwork_start),
        now=context.moment(now),
        actor=actor,
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
