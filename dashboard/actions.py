"""The actions on an inspection: reschedule, fieldwork, comments, sign-off and publish.

Each calls the same flow as the command line, and the flow audits it. Each has a page of
its own with its form (the inspection page shows the short ones inline); a refusal comes
back on that form, status 400, with an error summary and everything typed kept.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, Request, UploadFile
from fastapi.responses import HTMLResponse, Response

from dashboard.forms import Problems, Why, date_from_parts, reason_as_typed
from dashboard.hints import explain, upload_name
from dashboard.manager import action_page, back_to, facts_of, manager_of
from dashboard.web import ACTIONS, DOCUMENT_CSP, account_of, check_csrf, forbid, viewer_of
from inspectorate.domain import access
from inspectorate.domain.errors import InspectorateError
from inspectorate.domain.lifecycle import Stage
from inspectorate.domain.milestones import parse_date
from inspectorate.domain.sign_off import SIGN_OFFS, SignOffRule, may_sign_off, sign_off_rule
from inspectorate.services import context, reports
from inspectorate.services.sessions import Account
from inspectorate.services.sign_off import sign_off_undone

router = APIRouter(include_in_schema=False)
Csrf = Annotated[str, Form(max_length=100)]
Part = Annotated[str, Form(max_length=10)]
MAX_UPLOAD = 20_000_000


def signed_in(request: Request, csrf: str | None = None) -> Account:
    """The signed-in account (401 signed out; the form's CSRF token checked on a POST)."""
    account = account_of(request)
    if account is None:
        raise HTTPException(401, "Sign in first.")
    if csrf is not None:
        check_csrf(account.csrf, csrf)
    return account


def run_flow(step: Callable[[], str]) -> str:
    """Run a flow on the embedded runtime, one action at a time; refusals propagate."""
    with ACTIONS:
        from tasks.runtime import embedded_runtime

        with embedded_runtime():
            return step()


def moved(old: str, new: str) -> str:
    """'comments closed → published': a change of status as people read it."""
    return f"{old.replace('_', ' ')} → {new.replace('_', ' ')}"


@router.get("/inspections/{inspection_id}/reschedule")
def reschedule_form(request: Request, inspection_id: int) -> Response:
    """The form to move an inspection's fieldwork to another Monday, with a reason."""
    account = manager_of(request)
    return action_page(account, inspection_id, "reschedule.html.j2", {})


@router.post("/inspections/{inspection_id}/reschedule")
def reschedule(
    request: Request,
    inspection_id: int,
    csrf: Csrf,
    why: Why = "",
    day: Annotated[str, Form(alias="fieldwork_start-day", max_length=10)] = "",
    month: Annotated[str, Form(alias="fieldwork_start-month", max_length=10)] = "",
    year: Annotated[str, Form(alias="fieldwork_start-year", max_length=10)] = "",
    fieldwork_start: Part = "",
) -> Response:
    """Move the fieldwork (programme manager); the reschedule-inspection flow re-plans.

    The date comes in the GOV.UK three fields, or as one ISO date (`fieldwork_start`) from a
    script.
    """
    account = manager_of(request, csrf)
    facts_of(inspection_id)
    values = {
        "fieldwork_start-day": day,
        "fieldwork_start-month": month,
        "fieldwork_start-year": year,
        "why": why,
    }
    problems = Problems()
    why = reason_as_typed(why, problems)
    start: dt.date | None = None
    if fieldwork_start and not (day or month or year):
        try:
            start = parse_date(fieldwork_start, what="fieldwork start")
        except InspectorateError as refused:
            problems.refuse(refused, default="fieldwork_start")
    else:
        start = date_from_parts(values, "fieldwork_start", "New fieldwork start", problems)
    if not why.strip():
        problems.add("why", "Enter why the fieldwork moves: the audit trail keeps it")
    if start is not None and not problems:
        from flows.timers import reschedule_inspection

        def _step() -> str:
            old, new = reschedule_inspection(
                inspection_id=inspection_id,
                fieldwork_start=start,
                why=why.strip(),
                actor=account.username,
            )
            return f"Reschedule: fieldwork moved from {old} to {new}"

        try:
            return back_to(account, inspection_id, run_flow(_step))
        except InspectorateError as refused:
            problems.refuse(refused, default="fieldwork_start")
    return action_page(account, inspection_id, "reschedule.html.j2", values, problems)


@router.get("/inspections/{inspection_id}/fieldwork")
def fieldwork_form(request: Request, inspection_id: int) -> Response:
    """The form to upload the fieldwork judgements for scoring."""
    account = signed_in(request)
    forbid(access.may_upload_fieldwork(viewer_of(account), facts_of(inspection_id)))
    return action_page(account, inspection_id, "fieldwork.html.j2", {})


@router.post("/inspections/{inspection_id}/fieldwork")
def upload_fieldwork(
    request: Request, inspection_id: int, judgements: UploadFile, csrf: Annotated[str, Form()]
) -> Response:
    """Score an uploaded judgements file (CSV or XLSX) through the score-fieldwork flow."""
    account = signed_in(request, csrf)
    forbid(access.may_upload_fieldwork(viewer_of(account), facts_of(inspection_id)))
    problems = Problems()
    suffix = Path(judgements.filename or "").suffix.lower()
    content = judgements.file.read(MAX_UPLOAD + 1)
    if not judgements.filename:
        problems.add("judgements", "Choose the judgements file to upload")
    elif suffix not in (".csv", ".xlsx"):
        problems.add("judgements", "The judgements file must be a .csv or .xlsx file")
    elif len(content) > MAX_UPLOAD:
        problems.add("judgements", "The judgements file must be smaller than 20 MB")
    if not problems:
        from flows.casework import score_fieldwork

        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / upload_name(judgements.filename, suffix)  # messages name it

            def _step() -> str:
                outcome = score_fieldwork(
                    inspection_id=inspection_id,
                    judgements_path=str(path),
                    actor=account.username,
                )
                done = f"Fieldwork scored: {moved(outcome.from_status, outcome.to_status)}"
                with context.reading() as session:
                    undone = sign_off_undone(session, inspection_id=inspection_id)
                return done if undone is None else f"{done}. {undone[1].capitalize()}."

            path.write_bytes(content)
            try:
                return back_to(account, inspection_id, run_flow(_step))
            except InspectorateError as refused:
                problems.refuse(refused, default="judgements")
    return action_page(account, inspection_id, "fieldwork.html.j2", {}, problems)


@router.get("/inspections/{inspection_id}/comments")
def comments_form(request: Request, inspection_id: int) -> Response:
    """The body's form for its comments on the draft, while the window is open."""
    account = signed_in(request)
    forbid(access.may_comment(viewer_of(account), facts_of(inspection_id)))
    return action_page(account, inspection_id, "comments.html.j2", {"text": ""})


@router.post("/inspections/{inspection_id}/comments")
def submit_comments(
    request: Request,
    inspection_id: int,
    csrf: Csrf,
    text: Annotated[str, Form(max_length=200_000)] = "",
) -> Response:
    """The body's comments on its draft, while the window is open."""
    account = signed_in(request, csrf)
    forbid(access.may_comment(viewer_of(account), facts_of(inspection_id)))
    problems = Problems()
    if not text.strip():
        problems.add("text", "Write the comments before sending them")
    else:
        from flows.comments import submit_comments as submit

        try:
            said = run_flow(lambda: submit(inspection_id, text.strip(), account.username))
            return back_to(account, inspection_id, f"Comments: {said}")
        except InspectorateError as refused:
            problems.refuse(refused, default="text")
    return action_page(account, inspection_id, "comments.html.j2", {"text": text}, problems)


def _signer_of(request: Request, inspection_id: int, what: str) -> tuple[Account, SignOffRule]:
    """The signed-in person and the sign-off `what` names, if it is theirs to give (else 403)."""
    account = signed_in(request)
    inspection = facts_of(inspection_id)
    try:
        rule = sign_off_rule(what[:20])
    except InspectorateError as unknown:
        raise HTTPException(404, str(unknown)) from unknown
    forbid(may_sign_off(viewer_of(account), inspection, rule.stage))
    return account, rule


@router.get("/inspections/{inspection_id}/sign-off")
def sign_off_form(request: Request, inspection_id: int, what: str = "draft") -> Response:
    """The sign-off of the draft (lead inspector) or of the publication (manager)."""
    account, rule = _signer_of(request, inspection_id, what)
    return action_page(account, inspection_id, "sign_off.html.j2", {"why": ""}, what=rule.name)


@router.get("/inspections/{inspection_id}/preview")
def preview(request: Request, inspection_id: int, what: str = "draft") -> Response:
    """The report as signing it off would send it (the draft or the published report), to the
    person who signs it off: a sign-off is of what they have read."""
    account, rule = _signer_of(request, inspection_id, what)
    try:
        with context.reading() as session:
            html = reports.render_html(
                session, inspection_id=inspection_id, draft=rule.stage is Stage.SEND_DRAFT
            )
    except InspectorateError as refused:
        raise HTTPException(409, f"Nothing to read yet: {explain(refused)}") from refused
    # As a stored report is served (pages.document): its own styles only, never kept.
    headers = {"Content-Security-Policy": DOCUMENT_CSP, "Cache-Control": "no-store"}
    return HTMLResponse(html, headers=headers)


@router.post("/inspections/{inspection_id}/sign-off")
def sign_off(
    request: Request,
    inspection_id: int,
    what: Annotated[str, Form(max_length=20)],
    csrf: Csrf,
    why: Why = "",
) -> Response:
    """Sign off the draft (lead inspector) or the publication (manager), as the CLI does."""
    account = signed_in(request, csrf)
    inspection = facts_of(inspection_id)
    viewer = viewer_of(account)
    forbid(any(may_sign_off(viewer, inspection, stage) for stage in SIGN_OFFS))
    try:  # a hidden field: no one types it, so no form to show it on
        rule = sign_off_rule(what)
    except InspectorateError as refused:
        raise HTTPException(400, f"Sign-off refused: {explain(refused)}") from refused
    forbid(may_sign_off(viewer, inspection, rule.stage))
    from flows.sign_off import sign_off_and_resume

    problems = Problems()
    why = reason_as_typed(why, problems)
    if not problems:
        try:
            said = run_flow(
                lambda: sign_off_and_resume(inspection_id, rule.name, account.username, why.strip())
            )
            return back_to(account, inspection_id, f"Sign-off: {said}")
        except InspectorateError as refused:
            problems.refuse(refused, default="why")
    values = {"why": why}
    return action_page(account, inspection_id, "sign_off.html.j2", values, problems, what=rule.name)


@router.get("/inspections/{inspection_id}/publish")
def publish_form(request: Request, inspection_id: int) -> Response:
    """Are you sure? The step before a report goes to its distribution list."""
    account = manager_of(request)
    return action_page(account, inspection_id, "publish.html.j2", {})


@router.post("/inspections/{inspection_id}/publish")
def publish(request: Request, inspection_id: int, csrf: Csrf) -> Response:
    """Publish (programme manager): the publish-report flow lifts the embargo."""
    account = manager_of(request, csrf)
    facts_of(inspection_id)
    from flows.lifecycle import publish_report

    def _step() -> str:
        outcome = publish_report(inspection_id=inspection_id, actor=account.username)
        return f"Publish: {moved(outcome.from_status, outcome.to_status)}"

    problems = Problems()
    try:
        return back_to(account, inspection_id, run_flow(_step))
    except InspectorateError as refused:
        problems.refuse(refused, default="publish")
    return action_page(account, inspection_id, "publish.html.j2", {}, problems)
