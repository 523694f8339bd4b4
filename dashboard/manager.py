"""The programme manager's actions: schedule, cancel, and the inspection's team.

The same services and flows as the command line, with the signed-in manager as the actor
in the audit trail. A refusal is shown on the form it came from, with what was typed kept.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, Query, Request
from fastapi.responses import RedirectResponse, Response

from dashboard.forms import Problems, Why, date_from_parts, form_page, reason_as_typed
from dashboard.web import ACTIONS, account_of, check_csrf, forbid, note_for, viewer_of, with_note
from inspectorate.adapters import clock
from inspectorate.domain import access
from inspectorate.domain.errors import InspectorateError
from inspectorate.domain.lifecycle import TRANSITIONS, Stage, Status
from inspectorate.services import board, context, scheduling, stages, users
from inspectorate.services.sessions import Account

router = APIRouter(include_in_schema=False)
Csrf = Annotated[str, Form(max_length=100)]
Text = Annotated[str, Form(max_length=200)]
Note = Annotated[str, Query(max_length=200)]


def manager_of(request: Request, csrf: str | None = None) -> Account:
    """The signed-in programme manager (401 signed out, 403 another role; CSRF on a POST)."""
    account = account_of(request)
    if account is None:
        raise HTTPException(401, "Sign in first.")
    if csrf is not None:
        check_csrf(account.csrf, csrf)
    forbid(access.may_manage(viewer_of(account)))
    return account


def facts_of(inspection_id: int) -> access.InspectionFacts:
    """The inspection's facts, or 404."""
    with context.reading() as session:
        found = board.inspection_facts(session, inspection_id=inspection_id)
    if found is None:
        raise HTTPException(404, f"No inspection {inspection_id}.")
    return found


def back_to(account: Account, inspection_id: int, note: str) -> Response:
    """Back to the inspection page, saying what was done."""
    return RedirectResponse(
        with_note(account, f"/inspections/{inspection_id}", note), status_code=303
    )


def may_cancel(status: Status) -> bool:
    """Whether the lifecycle still lets an inspection in `status` be called off."""
    return (status, Stage.CANCEL) in TRANSITIONS


@router.get("/schedule")
def schedule_form(request: Request, programme: str = "") -> Response:
    """The form to schedule an inspection (a programme may be chosen already)."""
    account = manager_of(request)
    values = {"programme": programme[:20]}
    return form_page(account, "schedule.html.j2", values=values, programmes=_programmes())


@router.post("/schedule")
def schedule(
    request: Request,
    csrf: Csrf,
    body: Text = "",
    programme: Text = "",
    day: Annotated[str, Form(alias="fieldwork_start-day", max_length=10)] = "",
    month: Annotated[str, Form(alias="fieldwork_start-month", max_length=10)] = "",
    year: Annotated[str, Form(alias="fieldwork_start-year", max_length=10)] = "",
) -> Response:
    """Schedule an inspection and plan its milestones, under every date rule."""
    account = manager_of(request, csrf)
    values = {
        "body": body,
        "programme": programme,
        "fieldwork_start-day": day,
        "fieldwork_start-month": month,
        "fieldwork_start-year": year,
    }
    problems = Problems()  # in the order of the form's fields
    if programme not in context.programmes():
        problems.add("programme", "Choose the programme")
    if not body.strip():
        problems.add("body", "Enter the name of the body to inspect")
    start = date_from_parts(values, "fieldwork_start", "Fieldwork start", problems)
    if start is not None and not problems:
        try:
            inspection_id, created = context.run(
                scheduling.schedule,
                body_name=body.strip(),
                programme_code=programme,
                fieldwork_start=start,
                actor=account.username,
                now=clock.now(),
            )
        except InspectorateError as refused:
            problems.refuse(refused, default="fieldwork_start")
        else:
            verb = "Scheduled" if created else "Already scheduled"
            return back_to(account, inspection_id, f"{verb}: fieldwork from {start:%-d %B %Y}")
    return form_page(
        account, "schedule.html.j2", values=values, problems=problems, programmes=_programmes()
    )


def _programmes() -> list[tuple[str, str]]:
    return sorted((code, p.name) for code, p in context.programmes().items())


@router.get("/inspections/{inspection_id}/cancel")
def cancel_form(request: Request, inspection_id: int) -> Response:
    """Are you sure? The confirmation step before calling an inspection off, with a reason."""
    account = manager_of(request)
    inspection = facts_of(inspection_id)
    return _cancel_page(account, inspection, {"why": ""}, Problems())


@router.post("/inspections/{inspection_id}/cancel")
def cancel(request: Request, inspection_id: int, csrf: Csrf, why: Why = "") -> Response:
    """Call the inspection off through the cancel-inspection flow."""
    account = manager_of(request, csrf)
    inspection = facts_of(inspection_id)
    problems = Problems()
    why = reason_as_typed(why, problems)
    if not why.strip():
        problems.add("why", "Enter why the inspection is cancelled: the audit trail keeps it")
    if problems:
        return _cancel_page(account, inspection, {"why": why}, problems)
    try:
        context.run(stages.check_stage, inspection_id=inspection_id, stage=Stage.CANCEL)
        with ACTIONS:
            from flows.lifecycle import cancel_inspection
            from tasks.runtime import embedded_runtime

            with embedded_runtime():
                cancel_inspection(
                    inspection_id=inspection_id,
                    actor=account.username,
                    why=why.strip(),
                    now=clock.now(),
                )
    except InspectorateError as refused:
        problems.refuse(refused, default="why")
        return _cancel_page(account, facts_of(inspection_id), {"why": why}, problems)
    return back_to(account, inspection_id, "Cancelled: the inspection is called off")


def action_page(
    account: Account,
    inspection_id: int,
    template: str,
    values: dict[str, str],
    problems: Problems | None = None,
    **extra: object,
) -> Response:
    """An action's form page about one inspection (400 with the problems when there are any)."""
    inspection = facts_of(inspection_id)
    with context.reading() as session:
        data = board.inspection_record(
            session, viewer=viewer_of(account), inspection=inspection
        ).data
    return form_page(account, template, values=values, problems=problems, data=data, **extra)


def _cancel_page(
    account: Account, inspection: access.InspectionFacts, values: dict[str, str], problems: Problems
) -> Response:
    return action_page(
        account,
        inspection.id,
        "cancel.html.j2",
        values,
        problems,
        allowed=may_cancel(inspection.status),
    )


@router.get("/inspections/{inspection_id}/team")
def team_page(request: Request, inspection_id: int, note: Note = "", sig: Note = "") -> Response:
    """The inspection's team, with a form to add an inspector and a button to take one off."""
    account = manager_of(request)
    facts_of(inspection_id)
    shown = note_for(account, note, sig)
    return _team_page(account, inspection_id, {"username": ""}, Problems(), shown)


@router.post("/inspections/{inspection_id}/team")
def assign(request: Request, inspection_id: int, csrf: Csrf, username: Text = "") -> Response:
    """Put an inspector on the team (audited with the manager as the actor)."""
    account = manager_of(request, csrf)
    facts_of(inspection_id)
    problems = Problems()
    if not username:
        problems.add("username", "Choose the inspector to add to the team")
        return _team_page(account, inspection_id, {"username": username}, problems)
    try:
        new = context.run(
            users.assign,
            username=username,
            inspection_id=inspection_id,
            actor=account.username,
            now=clock.now(),
        )
    except InspectorateError as refused:
        problems.refuse(refused, default="username")
        return _team_page(account, inspection_id, {"username": username}, problems)
    said = "is now on the team" if new else "was already on the team"
    return _team_changed(account, inspection_id, f"{username} {said}")


@router.post("/inspections/{inspection_id}/team/remove")
def unassign(request: Request, inspection_id: int, csrf: Csrf, username: Text = "") -> Response:
    """Take an inspector off the team (audited with the manager as the actor)."""
    account = manager_of(request, csrf)
    facts_of(inspection_id)
    problems = Problems()
    try:
        gone = context.run(
            users.unassign,
            username=username,
            inspection_id=inspection_id,
            actor=account.username,
            now=clock.now(),
        )
    except InspectorateError as refused:
        problems.refuse(refused, default="team")
        return _team_page(account, inspection_id, {"username": ""}, problems)
    said = "is no longer on the team" if gone else "was not on the team"
    return _team_changed(account, inspection_id, f"{username} {said}")


def _team_changed(account: Account, inspection_id: int, note: str) -> Response:
    return RedirectResponse(
        with_note(account, f"/inspections/{inspection_id}/team", note), status_code=303
    )


def _team_page(
    account: Account,
    inspection_id: int,
    values: dict[str, str],
    problems: Problems,
    note: str = "",
) -> Response:
    inspection = facts_of(inspection_id)
    with context.reading() as session:
        data = board.inspection_record(
            session, viewer=viewer_of(account), inspection=inspection
        ).data
        team = users.team_of(session, inspection_id=inspection_id)
        inspectors = users.active_inspectors(session)
    return form_page(
        account,
        "team.html.j2",
        values=values,
        problems=problems,
        data=data,
        team=team,
        candidates=[name for name in inspectors if name not in team],
        note=note,
    )
