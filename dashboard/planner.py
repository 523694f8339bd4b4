"""Planning a programme from the dashboard: preview the plan, then schedule it.

The same planner and scheduling as `inspectorate programme plan --dry-run` and `--schedule`:
the preview writes nothing; scheduling puts the whole plan in the record or none of it, with
the signed-in manager as the actor. A plan that starts before today is scheduled only when
the manager says so, as `--yes` does.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, Query, Request
from fastapi.responses import RedirectResponse, Response

from dashboard.forms import Problems, date_from_parts, form_page
from dashboard.hints import explain, readable_dates
from dashboard.manager import manager_of
from dashboard.web import note_for, with_note
from inspectorate.adapters import clock
from inspectorate.domain.errors import InspectorateError
from inspectorate.services import context, plan_scheduling
from inspectorate.services.sessions import Account

router = APIRouter(include_in_schema=False)
START = "start"
START_FIELDS = tuple(f"{START}-{part}" for part in ("day", "month", "year"))


@router.get("/programmes/{code}/plan")
def plan_page(
    request: Request,
    code: str,
    note: Annotated[str, Query(max_length=200)] = "",
    sig: Annotated[str, Query(max_length=64)] = "",
) -> Response:
    """The plan form; with a start date, the plan and what scheduling it would do."""
    account = manager_of(request)
    _programme(code)
    values = {name: request.query_params.get(name, "")[:10] for name in START_FIELDS}
    problems = Problems()
    asked = any(name in request.query_params for name in START_FIELDS)  # even left empty
    start = date_from_parts(values, START, "Plan from", problems) if asked else None
    return _page(account, code, values, problems, start, note_for(account, note, sig))


@router.post("/programmes/{code}/plan")
def schedule_plan(
    request: Request,
    code: str,
    csrf: Annotated[str, Form(max_length=100)],
    day: Annotated[str, Form(alias="start-day", max_length=10)] = "",
    month: Annotated[str, Form(alias="start-month", max_length=10)] = "",
    year: Annotated[str, Form(alias="start-year", max_length=10)] = "",
    late: Annotated[str, Form(max_length=10)] = "",
) -> Response:
    """Schedule every planned inspection in one transaction (the whole plan or none of it)."""
    account = manager_of(request, csrf)
    _programme(code)
    values = {"start-day": day, "start-month": month, "start-year": year, "late": late}
    problems = Problems()
    start = date_from_parts(values, START, "Plan from", problems)
    if start is None:
        return _page(account, code, values, problems, None)
    try:
        with context.reading() as session:
            _, plan, _ = plan_scheduling.plan(programme_code=code, start=start, session=session)
            intended = plan_scheduling.preview(
                session,
                programme_code=code,
                placements=plan.placements,
                start=start,
                today=clock.today(),
            )
        past = sum(i.announcement_past for i in intended)
        if start < clock.today() and past and late != "yes":
            problems.add(
                "late",
                f"The plan starts before today: {past} of its new inspections would have an "
                "announcement date already past (the sweep would hold them as late notice). "
                "Tick the box to schedule them anyway",
            )
            return _page(account, code, values, problems, start)
        with context.unit_of_work() as session:  # all of the plan or none of it
            created = plan_scheduling.schedule_plan(
                session,
                programme_code=code,
                placements=plan.placements,
                actor=account.username,
                now=clock.morning_of(start, 9),  # as the command line: notice from the start
            )
    except InspectorateError as refused:  # about a placement: the plan's date is what to change
        problems.add(START, readable_dates(explain(refused)))
        return _page(account, code, values, problems, start)
    note = (
        f"Scheduled {created} new inspections "
        f"({len(plan.placements) - created} were in the record already)"
    )
    return RedirectResponse(with_note(account, f"/programmes/{code}/plan", note), status_code=303)


def _programme(code: str) -> None:
    if code not in context.programmes():
        raise HTTPException(404, f"No programme {code!r}.")


def _page(
    account: Account,
    code: str,
    values: Mapping[str, str],
    problems: Problems,
    start: dt.date | None,
    note: str = "",
) -> Response:
    """The plan page: the form, and the preview when the start date is a date."""
    preview = None
    if start is not None:
        try:
            with context.reading() as session:
                definition, plan, bodies = plan_scheduling.plan(
                    programme_code=code, start=start, session=session
                )
                intended = plan_scheduling.preview(
                    session,
                    programme_code=code,
                    placements=plan.placements,
                    start=start,
                    today=clock.today(),
                )
            preview = {
                "plan": plan,
                "bodies": bodies,
                "intended": intended,
                "new": sum(not i.already_scheduled for i in intended),
                "late": sum(i.announcement_past for i in intended),
                "elsewhere": sum(i.other_week for i in intended),
                "refused": sum(bool(i.refused) for i in intended),
                "why": [readable_dates(i.refused.partition("\n")[0]) for i in intended],
                "budget": definition.planning.hours_budget_per_year
                if definition.planning
                else None,
            }
        except InspectorateError as refused:
            problems.refuse(refused, default=START)
    return form_page(
        account,
        "plan.html.j2",
        values=values,
        problems=problems,
        code=code,
        programme=context.programmes()[code],
        preview=preview,
        start=start,
        today=clock.today(),
        note=note,
    )
