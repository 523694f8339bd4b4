"""The dashboard's actions: each calls the same flow as the CLI, and the flow audits it."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, Request, UploadFile
from fastapi.responses import Response

from dashboard.hints import explain, upload_name
from dashboard.manager import back_to, facts_of
from dashboard.web import ACTIONS, account_of, check_csrf, forbid, viewer_of
from inspectorate.domain import access
from inspectorate.domain.errors import InspectorateError
from inspectorate.domain.milestones import parse_date
from inspectorate.domain.sign_off import SIGN_OFFS, may_sign_off, sign_off_rule
from inspectorate.services.users import Account

router = APIRouter(include_in_schema=False)
Csrf = Annotated[str, Form(max_length=100)]
MAX_UPLOAD = 20_000_000


def _signed_in(request: Request, csrf: str) -> Account:
    account = account_of(request)
    if account is None:
        raise HTTPException(401, "Sign in first.")
    check_csrf(account.csrf, csrf)
    return account


def _run(inspection_id: int, action: str, step: Callable[[], str]) -> Response:
    """Run a flow under the lock; a refusal comes back as a 400 that says why."""
    with ACTIONS:
        from tasks.runtime import embedded_runtime

        try:
            with embedded_runtime():
                said = step()
        except InspectorateError as refused:
            raise HTTPException(400, f"{action} refused: {explain(refused)}") from refused
    return back_to(inspection_id, f"{action}: {said}")


@router.post("/inspections/{inspection_id}/reschedule")
def reschedule(
    request: Request,
    inspection_id: int,
    fieldwork_start: Annotated[str, Form(max_length=10)],
    why: Annotated[str, Form(max_length=500)],
    csrf: Csrf,
) -> Response:
    """Move the fieldwork (programme manager); the reschedule-inspection flow re-plans."""
    account = _signed_in(request, csrf)
    forbid(access.may_manage(viewer_of(account)))
    facts_of(inspection_id)
    start = parse_date(fieldwork_start, what="fieldwork start")
    from flows.timers import reschedule_inspection

    def _step() -> str:
        old, new = reschedule_inspection(
            inspection_id=inspection_id, fieldwork_start=start, why=why, actor=account.username
        )
        return f"fieldwork moved from {old} to {new}"

    return _run(inspection_id, "Reschedule", _step)


@router.post("/inspections/{inspection_id}/fieldwork")
def upload_fieldwork(
    request: Request, inspection_id: int, judgements: UploadFile, csrf: Annotated[str, Form()]
) -> Response:
    """Score an uploaded judgements file (CSV or XLSX) through the score-fieldwork flow."""
    account = _signed_in(request, csrf)
    inspection = facts_of(inspection_id)
    forbid(access.may_upload_fieldwork(viewer_of(account), inspection))
    suffix = Path(judgements.filename or "judgements.csv").suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise HTTPException(400, "Upload the judgements as a .csv or .xlsx file.")
    content = judgements.file.read(MAX_UPLOAD + 1)
    if len(content) > MAX_UPLOAD:
        raise HTTPException(400, "The file is larger than 20 MB.")
    from flows.casework import score_fieldwork

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / upload_name(judgements.filename, suffix)  # messages name it
        path.write_bytes(content)

        def _step() -> str:
            outcome = score_fieldwork(
                inspection_id=inspection_id, judgements_path=str(path), actor=account.username
            )
            return f"{outcome.from_status} → {outcome.to_status}"

        return _run(inspection_id, "Fieldwork scored", _step)


@router.post("/inspections/{inspection_id}/comments")
def submit_comments(
    request: Request,
    inspection_id: int,
    text: Annotated[str, Form(max_length=200_000)],
    csrf: Csrf,
) -> Response:
    """The body's comments on its draft, while the window is open."""
    account = _signed_in(request, csrf)
    inspection = facts_of(inspection_id)
    forbid(access.may_comment(viewer_of(account), inspection))
    if not text.strip():
        raise HTTPException(400, "Write the comments before sending them.")
    from flows.comments import submit_comments as submit

    return _run(
        inspection_id, "Comments", lambda: submit(inspection_id, text.strip(), account.username)
    )


@router.post("/inspections/{inspection_id}/publish")
def publish(request: Request, inspection_id: int, csrf: Csrf) -> Response:
    """Publish (programme manager): the publish-report flow lifts the embargo."""
    account = _signed_in(request, csrf)
    forbid(access.may_manage(viewer_of(account)))
    facts_of(inspection_id)
    from flows.lifecycle import publish_report

    def _step() -> str:
        outcome = publish_report(inspection_id=inspection_id, actor=account.username)
        return f"{outcome.from_status} → {outcome.to_status}"

    return _run(inspection_id, "Publish", _step)


@router.post("/inspections/{inspection_id}/sign-off")
def sign_off(
    request: Request,
    inspection_id: int,
    what: Annotated[str, Form(max_length=20)],
    csrf: Csrf,
    why: Annotated[str, Form(max_length=500)] = "",
) -> Response:
    """Sign off the draft (lead inspector) or the publication (manager), as the CLI does."""
    account = _signed_in(request, csrf)
    inspection = facts_of(inspection_id)
    viewer = viewer_of(account)
    forbid(any(may_sign_off(viewer, inspection, stage) for stage in SIGN_OFFS))
    try:
        rule = sign_off_rule(what)
    except InspectorateError as refused:
        raise HTTPException(400, f"Sign-off refused: {explain(refused)}") from refused
    forbid(may_sign_off(viewer, inspection, rule.stage))
    from flows.sign_off import sign_off_and_resume

    return _run(
        inspection_id,
        "Sign-off",
        lambda: sign_off_and_resume(inspection_id, rule.name, account.username, why.strip()),
    )
