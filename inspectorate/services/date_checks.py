"""The date rules (domain/date_rules.py) checked against the record, for scheduling and moving.

Scheduling, rescheduling (the CLI and the dashboard) and scheduling a plan all come here, so
a date refused one way is refused every way. Reads only; the caller owns the session.
"""

from __future__ import annotations

import datetime as dt

from sqlmodel import Session, col, select

from inspectorate.adapters.models import Body, Inspection
from inspectorate.domain.date_rules import Booked, capacity_window, date_problems, refusal
from inspectorate.domain.lifecycle import Status
from inspectorate.domain.programmes import ProgrammeDefinition
from inspectorate.domain.reference import BodyKind, BodyRecord


def body_record(body: Body) -> BodyRecord:
    """The stored body as the domain sees it, with the dates it existed."""
    return BodyRecord(
        name=body.name,
        kind=BodyKind(body.kind),
        region=body.region,
        in_wales=body.in_wales,
        family=body.family,
        valid_from=body.valid_from,
        valid_until=body.valid_until,
    )


def booked_near(
    session: Session,
    *,
    programme: ProgrammeDefinition,
    programme_id: int,
    body_id: int,
    fieldwork_start: dt.date,
    moving: int | None = None,
) -> list[Booked]:
    """The programme's live inspections that could share a fieldwork week with
    `fieldwork_start`, and every live inspection of the body (not the one being moved)."""
    low, high = capacity_window(programme, fieldwork_start)
    found = {}
    # Two indexed reads (the weeks around, by programme and start; the body's own, by the
    # unique key) rather than one with OR, which reads every inspection of the programme.
    for which in (
        col(Inspection.fieldwork_start).between(low, high),
        col(Inspection.body_id) == body_id,
    ):
        for inspection, name in session.exec(
            select(Inspection, Body.name)
            .join(Body, col(Inspection.body_id) == col(Body.id))
            .where(
                Inspection.programme_id == programme_id,
                Inspection.status != Status.CANCELLED.value,
                which,
            )
        ):
            found[inspection.id] = (inspection, name)
    rows = sorted(found.values(), key=lambda row: (row[0].fieldwork_start, row[0].id or 0))
    return [
        Booked(
            ref=str(inspection.id),
            body=name,
            fieldwork_start=inspection.fieldwork_start,
            follow_up=inspection.parent_id is not None or inspection.kind != "inspection",
        )
        for inspection, name in rows
        if moving is None or inspection.id != moving
    ]


def check_dates(
    session: Session,
    *,
    programme: ProgrammeDefinition,
    programme_id: int,
    body: Body,
    fieldwork_start: dt.date,
    notice_from: dt.date,
    announced: bool = False,
    follow_up: bool = False,
    moving: int | None = None,
) -> None:
    """Raise the domain error naming every date rule the fieldwork would break.

    `moving` is the inspection being rescheduled (left out of the others); `notice_from` is
    today, or the day it was announced when `announced`.
    """
    assert body.id is not None
    others = booked_near(
        session,
        programme=programme,
        programme_id=programme_id,
        body_id=body.id,
        fieldwork_start=fieldwork_start,
        moving=moving,
    )
    problems = date_problems(
        programme,
        body_record(body),
        fieldwork_start,
        notice_from=notice_from,
        announced=announced,
        follow_up=follow_up,
        others=others,
    )
    error = refusal(problems)
    if error is not None:
        raise error


def first_usable_monday(
    session: Session,
    *,
    programme: ProgrammeDefinition,
    programme_id: int,
    body: Body,
    from_monday: dt.date,
    notice_from: dt.date,
    weeks: int = 26,
) -> tuple[dt.date | None, str]:
    """The first Monday from `from_monday` a follow-up may start on, within `weeks`.

    Returns (None, why the last week tried was refused) when no week in reach is usable,
    such as a body that has ceased to exist.
    """
    assert body.id is not None
    why = ""
    for week in range(weeks):
        candidate = from_monday + dt.timedelta(weeks=week)
        others = booked_near(
            session,
            programme=programme,
            programme_id=programme_id,
            body_id=body.id,
            fieldwork_start=candidate,
        )
        problems = date_problems(
            programme,
            body_record(body),
            candidate,
            notice_from=notice_from,
            follow_up=True,
            others=others,
        )
        if not problems:
            return candidate, ""
        why = problems[0].message
    return None, why
