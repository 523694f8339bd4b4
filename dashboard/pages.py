"""The dashboard's pages: home, programme timeline, deadlines, inspection, analytics, reports."""

from __future__ import annotations

import datetime as dt
from pathlib import Path as FilePath
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, HTTPException, Path, Query, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response

from dashboard.as_of_form import looked_at
from dashboard.cache import Kept
from dashboard.timeline_chart import timeline_svg
from dashboard.web import (
    DOCUMENT_CSP,
    account_of,
    cached_page,
    forbid_page,
    note_for,
    page,
    render_page,
    viewer_of,
)
from inspectorate.adapters import clock
from inspectorate.domain import access
from inspectorate.domain.charts import findings_chart, headline_chart
from inspectorate.domain.lifecycle import TRANSITIONS, Stage, Status
from inspectorate.domain.milestones import parse_date
from inspectorate.domain.sign_off import sign_offs_to_offer
from inspectorate.services import analytics, board, comments, context, reports
from inspectorate.services import as_of as past
from inspectorate.services.rescheduling import MOVABLE

router = APIRouter(include_in_schema=False)
AsOf = Annotated[str | None, Query(max_length=10, description="YYYY-MM-DD; default today")]
Filter = Annotated[str, Query(max_length=100, description="Only rows with this value")]
PageNumber = Annotated[int, Query(ge=1, le=100_000, description="Which page of rows")]
# Rows of each deadlines list a page: the busiest week of a national record has over a
# thousand open milestones, which took a page's first render past 300 ms to lay out.
DEADLINE_ROWS = 200
# Each programme's inspections on a day, as the timeline's pages of that day share them.
DAYS: Kept[list[past.Existing]] = Kept()
# An id a row can have: anything else is refused before the record is asked (404 on a page).
RowId = Annotated[int, Path(ge=1, le=board.MAX_ID, description="A record id")]


def day_of(as_of: str | None) -> dt.date:
    """The day a page is looked at (today unless ?as_of= says otherwise)."""
    return parse_date(as_of, what="as_of") if as_of else clock.today()


@router.get("/", response_class=HTMLResponse)
def home(request: Request) -> Response:
    """What the signed-in person works on (published reports for everyone else)."""
    account = account_of(request)
    viewer = viewer_of(account)
    with context.reading() as session:
        mine = (
            []
            if viewer.role == access.AccountRole.PUBLIC
            else [
                (i, body, code)
                for i, body, code in board.visible_inspections(session, viewer)
                if access.is_staff_on(viewer, board.facts(i))
                or access.is_own_body(viewer, board.facts(i))
            ]
        )
    programmes = sorted(context.programmes()) if access.may_manage(viewer) else []
    return page(request, "home.html.j2", account=account, inspections=mine, programmes=programmes)


def filters_of(region: str, status: str, programme: str) -> past.Filters:
    """The filter form's choices; a status that is no status is refused."""
    if status and status not in {s.value for s in Status}:
        raise HTTPException(400, f"No status {status!r}.")
    if programme and programme not in context.programmes():
        raise HTTPException(404, f"No programme {programme!r}.")
    return past.Filters(region=region, status=status, programme=programme)


def marker_of(day: dt.date) -> str:
    """What the red line on the timeline says: today, or the day asked for."""
    return "today" if day == clock.today() else f"as of {day.day} {day:%b %Y}"


@router.get("/programmes/{code}", response_class=HTMLResponse)
async def programme_timeline(
    request: Request,
    code: str,
    as_of: AsOf = None,  # read by looked_at; declared so a malformed one is refused (422)
    region: Filter = "",
    status: Filter = "",
    programme: Filter = "",
    page: PageNumber = 1,
) -> Response:
    """The programme's inspections as of the day: bars by week, milestones, overdue in red."""
    account = account_of(request)
    viewer = viewer_of(account)
    forbid_page(account, access.is_staff(viewer))
    if code not in context.programmes():
        raise HTTPException(404, f"No programme {code!r}.")
    filters = filters_of(region, status, programme)
    asked = looked_at(request)
    today = asked.day
    if programme and programme != code:  # the form's programme list, without JavaScript
        query = urlencode({"as_of": today.isoformat(), "region": region, "status": status})
        return RedirectResponse(f"/programmes/{programme}?{query}", status_code=303)

    def _render() -> str:
        with context.reading() as session:
            then = DAYS.get(
                (viewer.role, viewer.assigned, code, today),
                lambda: past.existing(session, viewer, today, code),
            )
            shown = past.timeline(session, viewer, code, today, filters, page, then)
        return render_page(
            account,
            "timeline.html.j2",
            programme=context.programmes()[code],
            code=code,
            programmes=sorted(context.programmes()),
            shown=shown,
            rows=shown.rows,
            filters=filters,
            chart=timeline_svg(shown.rows, today, marker_of(today)),
            today=today,
            query=lambda n: urlencode(
                {"as_of": today.isoformat(), "region": region, "status": status, "page": n}
            ),
            values=asked.values,
            errors=asked.problems.by_field,
        )

    if asked.problems:  # the fields as typed, on the page's form
        return HTMLResponse(_render(), status_code=400)
    return await cached_page(request, account, _render)


@router.get("/deadlines", response_class=HTMLResponse)
async def deadlines_page(
    request: Request,
    as_of: AsOf = None,  # read by looked_at; declared so a malformed one is refused (422)
    region: Filter = "",
    status: Filter = "",
    programme: Filter = "",
    page: PageNumber = 1,
) -> Response:
    """What was due in the day's week and overdue on the day, with the reminders by then
    (DEADLINE_ROWS of each a page)."""
    account = account_of(request)
    viewer = viewer_of(account)
    forbid_page(account, access.is_staff(viewer))
    asked = looked_at(request)
    today = asked.day
    filters = filters_of(region, status, programme)

    def _render() -> str:
        with context.reading() as session:
            this_week, overdue = past.deadlines(session, viewer, today, filters)
        pages = past.page_count(max(len(this_week), len(overdue)), DEADLINE_ROWS)
        shown = min(page, pages)
        cut = slice((shown - 1) * DEADLINE_ROWS, shown * DEADLINE_ROWS)
        return render_page(
            account,
            "deadlines.html.j2",
            this_week=this_week[cut],
            overdue=overdue[cut],
            counts={"this_week": len(this_week), "overdue": len(overdue)},
            first=cut.start + 1,
            rows_per_page=DEADLINE_ROWS,
            page=shown,
            pages=pages,
            query=lambda n: urlencode(
                {"as_of": today.isoformat(), "region": region, "status": status}
                | {"programme": programme, "page": n}
            ),
            today=today,
            filters=filters,
            programmes=sorted(context.programmes()),
            statuses=[s.value for s in Status],
            values=asked.values,
            errors=asked.problems.by_field,
        )

    if asked.problems:  # the fields as typed, on the page's form
        return HTMLResponse(_render(), status_code=400)
    return await cached_page(request, account, _render)


def inspection_context(viewer: access.Viewer, facts: access.InspectionFacts) -> dict[str, Any]:
    """Everything the inspection page may show this viewer."""
    own = access.is_own_body(viewer, facts) or access.is_staff_on(viewer, facts)
    report, charts = None, {}
    with context.reading() as session:
        record = board.inspection_record(session, viewer=viewer, inspection=facts)
        if record.scores is not None:
            report = reports.build_inspection_report(
                session,
                inspection_id=facts.id,
                draft=access.is_staff_on(viewer, facts),
                editable={},
                scores=record.scores,
            )
        received = comments.comments_on(session, inspection_id=facts.id) if own else []
    if report is not None:
        charts = {c.id: findings_chart(c.findings, c.name) for c in report.chapters if c.findings}
        charts["headlines"] = headline_chart(report.against_programme, report.programme)
    state = record.sign_offs
    offers = (
        sign_offs_to_offer(viewer, facts, signed=state.signed, text_complete=state.text_complete)
        if state is not None
        else []
    )
    return {
        "comments": received,
        "data": record.data,
        "documents": record.documents,
        "reminders": record.reminders,
        "report": report,
        "charts": charts,
        "details": access.may_see_details(viewer, facts),
        "may_comment": access.may_comment(viewer, facts),
        "may_upload": access.may_upload_fieldwork(viewer, facts),
        "may_manage": access.may_manage(viewer),
        "may_cancel": access.may_manage(viewer) and (facts.status, Stage.CANCEL) in TRANSITIONS,
        "may_reschedule": access.may_manage(viewer) and facts.status in MOVABLE,
        "sign_off_offers": [rule.name for rule in offers],
        "publication_signed": state is not None and Stage.PUBLISH in state.signed,
    }


@router.get("/inspections/{inspection_id}", response_class=HTMLResponse)
async def inspection_page(
    request: Request,
    inspection_id: RowId,
    note: Annotated[str, Query(max_length=200)] = "",
    sig: Annotated[str, Query(max_length=64)] = "",
) -> Response:
    """Status, milestones, sample, scores with charts, reports, audit trail, parent and children."""
    account = account_of(request)
    viewer = viewer_of(account)
    with context.reading() as session:
        inspection = board.inspection_facts(session, inspection_id=inspection_id)
    if inspection is None:
        raise HTTPException(404, f"No inspection {inspection_id}.")
    forbid_page(account, access.may_see_inspection(viewer, inspection))

    def _render() -> str:
        context = inspection_context(viewer, inspection)
        shown = note_for(account, note, sig)
        return render_page(account, "inspection.html.j2", note=shown, **context)

    return await cached_page(request, account, _render)


@router.get("/programmes/{code}/analytics", response_class=HTMLResponse)
def analytics_page(request: Request, code: str, by: str = "region") -> Response:
    """Headline scores across the programme's published inspections, by region or family."""
    account = account_of(request)
    viewer = viewer_of(account)
    forbid_page(account, access.is_staff(viewer))
    if code not in context.programmes() or by not in ("region", "family"):
        raise HTTPException(404, "No such programme or grouping.")
    with context.reading() as session:
        frame = analytics.headline_frame(session, code, published_only=True)
    if frame.empty:
        return page(request, "analytics.html.j2", code=code, by=by, table=None, chart="")
    table = analytics.summarise(frame, by)
    names = analytics.headline_names(context.programmes()[code], context.frameworks())
    chart = analytics.chart_svg(table, f"{code.upper()} headline scores by {by}", names)
    return page(
        request, "analytics.html.j2", code=code, by=by, table=table, chart=chart, names=names
    )


@router.get("/reports", response_class=HTMLResponse)
def published_reports(request: Request) -> Response:
    """Every published report, for everyone."""
    with context.reading() as session:
        rows = board.published_documents(session)
    return page(request, "reports.html.j2", rows=rows)


@router.get("/documents/{version_id}")
def document(request: Request, version_id: RowId) -> Response:
    """One stored letter or report, if the viewer may read it."""
    account = account_of(request)
    viewer = viewer_of(account)
    with context.reading() as session:
        found = board.stored_document(session, version_id=version_id)
    if found is None or not FilePath(found[0].path).exists():
        raise HTTPException(404, "No such document.")
    version, inspection = found
    forbid_page(account, access.may_see_document(viewer, inspection, version.kind, version.public))
    name = FilePath(version.path).name
    if version.format == "pdf":
        response = FileResponse(version.path, media_type="application/pdf", filename=name)
    else:
        response = FileResponse(version.path, media_type="text/html; charset=utf-8")
    # Our own report HTML: its inline styles are allowed, nothing else is, nor framing it.
    response.headers["Content-Security-Policy"] = DOCUMENT_CSP
    # Only a published report may be kept by browsers and proxies; an embargoed one never.
    response.headers["Cache-Control"] = "public, max-age=3600" if version.public else "no-store"
    return response
