"""The JSON API under /api: the same data and the same access rules as the pages."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from pydantic import BaseModel

from dashboard.pages import AsOf, Filter, RowId, day_of, filters_of, inspection_context
from dashboard.web import account_of, forbid, viewer_of
from inspectorate.domain import access
from inspectorate.services import as_of as past
from inspectorate.services import board, context

router = APIRouter(prefix="/api", tags=["inspectorate"])


class InspectionRow(BaseModel):
    """An inspection in a list."""

    id: int
    body: str
    programme: str
    status: str
    kind: str
    fieldwork_start: dt.date


class TimelineEntry(BaseModel):
    """An inspection on a programme timeline as of a day: milestones, done and overdue then."""

    id: int
    body: str
    label: str
    status: str
    kind: str
    region: str
    milestones: dict[str, dt.date]
    done: list[str]
    overdue: list[str]


class DeadlineEntry(BaseModel):
    """An open milestone due this week or overdue."""

    inspection_id: int
    body: str
    milestone: str
    due_on: dt.date
    overdue: bool
    reminders_sent: int


class Deadlines(BaseModel):
    """The deadline view of one day."""

    as_of: dt.date
    this_week: list[DeadlineEntry]
    overdue: list[DeadlineEntry]


class DocumentEntry(BaseModel):
    """A stored letter or report, with where to fetch it."""

    id: int
    inspection_id: int
    kind: str
    lang: str
    format: str
    public: bool
    url: str


@router.get("/inspections", response_model=list[InspectionRow])
def inspections(request: Request) -> list[InspectionRow]:
    """Every inspection the caller may see."""
    viewer = viewer_of(account_of(request))
    with context.reading() as session:
        rows = board.visible_inspections(session, viewer)
    return [
        InspectionRow(
            id=i.id or 0,
            body=body,
            programme=code,
            status=i.status,
            kind=i.kind,
            fieldwork_start=i.fieldwork_start,
        )
        for i, body, code in rows
    ]


@router.get("/inspections/{inspection_id}")
def inspection(request: Request, inspection_id: RowId) -> dict[str, Any]:
    """One inspection: milestones, documents, scores and audit trail as far as allowed."""
    viewer = viewer_of(account_of(request))
    with context.reading() as session:
        found = board.inspection_facts(session, inspection_id=inspection_id)
    if found is None:
        raise HTTPException(404, f"No inspection {inspection_id}.")
    forbid(access.may_see_inspection(viewer, found))
    shown = inspection_context(viewer, found)
    data = dict(shown["data"])
    if not shown["details"]:
        data.pop("audit", None)
    report = shown["report"]
    data["headline_scores"] = (
        {c.id: c.score for c in report.chapters if c.score is not None} if report else None
    )
    data["documents"] = [
        {"id": v.id, "kind": v.kind, "lang": v.lang, "format": v.format, "public": v.public}
        for v in shown["documents"]
    ]
    return data


@router.get("/programmes/{code}/timeline", response_model=list[TimelineEntry])
def timeline(
    request: Request, code: str, as_of: AsOf = None, region: Filter = "", status: Filter = ""
) -> list[TimelineEntry]:
    """The programme's inspections as of a day, with their milestones (managers, inspectors)."""
    viewer = viewer_of(account_of(request))
    forbid(access.is_staff(viewer))
    if code not in context.programmes():
        raise HTTPException(404, f"No programme {code!r}.")
    filters = filters_of(region, status, "")
    with context.reading() as session:
        shown = past.timeline(session, viewer, code, day_of(as_of), filters, page=None)
    return [
        TimelineEntry(
            id=r.id,
            body=r.body,
            label=r.label,
            status=r.status,
            kind=r.kind,
            region=r.region,
            milestones=r.milestones,
            done=sorted(r.done),
            overdue=sorted(r.overdue),
        )
        for r in shown.rows
    ]


@router.get("/deadlines", response_model=Deadlines)
def deadlines(
    request: Request,
    as_of: AsOf = None,
    region: Filter = "",
    status: Filter = "",
    programme: Filter = "",
) -> Deadlines:
    """Milestones open on the day: due that week, and overdue (managers and inspectors)."""
    viewer = viewer_of(account_of(request))
    forbid(access.is_staff(viewer))
    today = day_of(as_of)
    filters = filters_of(region, status, programme)
    with context.reading() as session:
        this_week, overdue = past.deadlines(session, viewer, today, filters)

    def _entry(d: past.Deadline) -> DeadlineEntry:
        sent = sum(1 for _kind, _day, done in d.reminders if done)
        return DeadlineEntry(
            inspection_id=d.inspection_id,
            body=d.body,
            milestone=d.milestone,
            due_on=d.due_on,
            overdue=d.overdue,
            reminders_sent=sent,
        )

    return Deadlines(
        as_of=today, this_week=[_entry(d) for d in this_week], overdue=[_entry(d) for d in overdue]
    )


@router.get("/reports", response_model=list[DocumentEntry])
def reports() -> list[DocumentEntry]:
    """Every published report (no sign-in needed)."""
    with context.reading() as session:
        rows = board.published_documents(session)
    return [
        DocumentEntry(
            id=v.id or 0,
            inspection_id=v.inspection_id,
            kind=v.kind,
            lang=v.lang,
            format=v.format,
            public=v.public,
            url=f"/documents/{v.id}",
        )
        for v, _body, _programme in rows
    ]
