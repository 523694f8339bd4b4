"""The programme manager's actions in the dashboard: schedule, cancel, team, plan.

Each is checked working, refused on its own form with what was typed kept and why, refused
to every other role, and written in the audit trail under the signed-in manager's name.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, col, select

from dashboard.app import create_app
from inspectorate.adapters import clock
from inspectorate.adapters.models import AuditEvent, Inspection
from inspectorate.services import context, plan_scheduling, users
from tests.dashboard_record import ROLES, BoardRecord, build_board_record
from tests.test_dashboard import ROLE_NAMES, sign_in

pytestmark = pytest.mark.usefixtures("prefect_server")
MANAGER = ROLES["manager"]


@pytest.fixture
def record(sqlite_database: str, virtual_clock: clock.VirtualClock) -> BoardRecord:
    """The board's record, looked at on Monday 25 November 2013 (a plan's notice is whole)."""
    return build_board_record()


@pytest.fixture
def app_client() -> Iterator[TestClient]:
    with TestClient(create_app()) as client:
        yield client


def audit_of(inspection_id: int, action: str) -> list[tuple[str, str | None, str | None]]:
    """(actor, to, why) of the inspection's audit events of one action, oldest first."""
    with Session(context.engine()) as session:
        events = session.exec(
            select(AuditEvent)
            .where(AuditEvent.inspection_id == inspection_id, AuditEvent.action == action)
            .order_by(col(AuditEvent.id))
        ).all()
    return [(e.actor, e.to_state or e.from_state, e.why) for e in events]


def inspections_of(body: str) -> list[Inspection]:
    from inspectorate.adapters.models import Body

    with Session(context.engine()) as session:
        return list(
            session.exec(
                select(Inspection)
                .join(Body, col(Body.id) == col(Inspection.body_id))
                .where(Body.name == body)
            ).all()
        )


def schedule_form(body: str, day: str, month: str, year: str, csrf: str) -> dict[str, str]:
    return {
        "csrf": csrf,
        "body": body,
        "programme": "iaow",
        "fieldwork_start-day": day,
        "fieldwork_start-month": month,
        "fieldwork_start-year": year,
    }


def test_the_manager_schedules_an_inspection_from_a_date_in_three_fields(
    record: BoardRecord, app_client: TestClient
) -> None:
    csrf = sign_in(app_client, "manager")
    form = app_client.get("/schedule?programme=iaow").text
    assert 'name="fieldwork_start-day"' in form and '<option value="iaow" selected>' in form
    answer = app_client.post("/schedule", data=schedule_form("Cheshire", "17", "2", "2014", csrf))
    assert answer.status_code == 200
    assert "Scheduled: fieldwork from 17 February 2014" in answer.text
    [scheduled] = inspections_of("Cheshire")
    assert scheduled.fieldwork_start.isoformat() == "2014-02-17"
    assert scheduled.id is not None and audit_of(scheduled.id, "schedule")[0][0] == MANAGER


@pytest.mark.parametrize(
    ("body", "day", "month", "year", "field", "says"),
    [
        ("Cheshire", "20", "1", "2014", "fieldwork_start", "notice"),  # under ten weeks
        ("Cheshire", "10", "3", "2014", "fieldwork_start", "capacity"),  # Wales that week
        ("Cheshire", "2", "6", "2014", "fieldwork_start", "from 1 April 2010 to 31 May 2014"),
        ("Atlantis", "17", "2", "2014", "body", "no trust called &#39;Atlantis&#39;"),
        ("Cheshire", "31", "2", "2014", "fieldwork_start", "31/2/2014 is not a day"),
        ("Cheshire", "", "2", "2014", "fieldwork_start", "must include a day"),
        ("", "17", "2", "2014", "body", "Enter the name of the body"),
    ],
)
def test_a_refused_schedule_says_why_on_the_form_and_keeps_what_was_typed(
    record: BoardRecord,
    app_client: TestClient,
    body: str,
    day: str,
    month: str,
    year: str,
    field: str,
    says: str,
) -> None:
    csrf = sign_in(app_client, "manager")
    answer = app_client.post("/schedule", data=schedule_form(body, day, month, year, csrf))
    assert answer.status_code == 400
    summary = re.search(r'<div class="error-summary".*?</div>', answer.text, re.S)
    assert summary is not None and says in summary.group(0)
    assert f'href="#{field}' in summary.group(0) and f'id="{field}-error"' in answer.text
    assert f'name="body" type="text" maxlength="200" value="{body}"' in answer.text
    assert 'name="fieldwork_start-day" type="text"' in answer.text
    assert f'value="{day}"' in answer.text and f'value="{year}"' in answer.text
    assert '<option value="iaow" selected>' in answer.text
    assert inspections_of("Cheshire") == []


def test_only_the_manager_may_schedule(record: BoardRecord, app_client: TestClient) -> None:
    expected = {"manager": 303, "inspector": 403, "body": 403, "public": 403, None: 401}
    seen = {}
    for role in ROLE_NAMES:
        csrf = sign_in(app_client, role)
        form = schedule_form("Cheshire", "17", "2", "2014", csrf or "x")
        seen[role] = app_client.post("/schedule", data=form, follow_redirects=False).status_code
        if role is not None:
            assert app_client.get("/schedule").status_code == (200 if role == "manager" else 403)
    assert seen == expected
    assert len(inspections_of("Cheshire")) == 1


def test_cancelling_asks_for_a_reason_then_calls_the_inspection_off(
    record: BoardRecord, app_client: TestClient
) -> None:
    csrf = sign_in(app_client, "manager")
    page = app_client.get(f"/inspections/{record.assigned}").text
    assert f'href="/inspections/{record.assigned}/cancel"' in page
    confirm = app_client.get(f"/inspections/{record.assigned}/cancel")
    assert confirm.status_code == 200 and "Yes, cancel this inspection" in confirm.text
    path = f"/inspections/{record.assigned}/cancel"
    refused = app_client.post(path, data={"csrf": csrf, "why": "   "})
    assert refused.status_code == 400 and "Enter why the inspection is cancelled" in refused.text
    assert inspections_of("Cumbria")[0].status == "announced"
    answer = app_client.post(path, data={"csrf": csrf, "why": "Trust merged"})
    assert answer.status_code == 200 and "Cancelled: the inspection is called off" in answer.text
    assert inspections_of("Cumbria")[0].status == "cancelled"
    assert audit_of(record.assigned, "cancel") == [(MANAGER, "cancelled", "Trust merged")]
    again = app_client.get(path)
    assert "cancelled already" in again.text and "Yes, cancel" not in again.text


def test_an_inspection_past_its_fieldwork_offers_no_cancel_and_refuses_one(
    record: BoardRecord, app_client: TestClient
) -> None:
    csrf = sign_in(app_client, "manager")
    assert (
        f"/inspections/{record.scored}/cancel"
        not in app_client.get(f"/inspections/{record.scored}").text
    )
    confirm = app_client.get(f"/inspections/{record.scored}/cancel").text
    assert "can be cancelled only until its fieldwork is done" in confirm
    assert "Yes, cancel" not in confirm
    refused = app_client.post(
        f"/inspections/{record.scored}/cancel", data={"csrf": csrf, "why": "Changed my mind"}
    )
    assert refused.status_code == 400
    assert "cannot cancel an inspection that is scored" in refused.text
    assert 'class="error-summary"' in refused.text  # and the way back, no dead end
    assert f'<a href="/inspections/{record.scored}">Back to the inspection' in refused.text
    assert inspections_of("Durham Tees Valley")[0].status == "scored"


def test_only_the_manager_may_cancel(record: BoardRecord, app_client: TestClient) -> None:
    path = f"/inspections/{record.assigned}/cancel"
    for role, status in [("inspector", 403), ("body", 403), ("public", 403), (None, 401)]:
        csrf = sign_in(app_client, role)
        assert app_client.post(path, data={"csrf": csrf or "x", "why": "x"}).status_code == status
        assert app_client.get(path).status_code == (401 if role is None else 403)
    assert inspections_of("Cumbria")[0].status == "announced"


def add_inspector(name: str, *, disabled: bool = False) -> None:
    from tests.dashboard_record import PASSWORD
    from tests.factories import morning

    with context.unit_of_work() as session:
        users.add_user(
            session,
            username=name,
            role="inspector",
            password=PASSWORD,
            body=None,
            now=morning("2013-11-01"),
        )
        if disabled:
            users.disable(session, username=name, actor="admin", now=morning("2013-11-02"))


def test_the_manager_adds_and_removes_inspectors_on_the_team(
    record: BoardRecord, app_client: TestClient
) -> None:
    add_inspector("ivy.inspector")
    add_inspector("dora.disabled", disabled=True)
    csrf = sign_in(app_client, "manager")
    path = f"/inspections/{record.assigned}/team"
    page = app_client.get(path).text
    assert "<td>ian.inspector</td>" in page and '<option value="ivy.inspector">' in page
    assert "dora.disabled" not in page  # a disabled account is not offered
    answer = app_client.post(path, data={"csrf": csrf, "username": "ivy.inspector"})
    assert answer.status_code == 200 and "ivy.inspector is now on the team" in answer.text
    answer = app_client.post(f"{path}/remove", data={"csrf": csrf, "username": "ian.inspector"})
    assert "ian.inspector is no longer on the team" in answer.text
    with Session(context.engine()) as session:
        assert users.team_of(session, inspection_id=record.assigned) == ["ivy.inspector"]
    assert audit_of(record.assigned, "inspector_assigned")[-1][:2] == (MANAGER, "ivy.inspector")
    assert audit_of(record.assigned, "inspector_unassigned")[0][:2] == (MANAGER, "ian.inspector")


def test_a_refused_assignment_says_why_on_the_team_form_and_keeps_the_choice(
    record: BoardRecord, app_client: TestClient
) -> None:
    add_inspector("dora.disabled", disabled=True)
    csrf = sign_in(app_client, "manager")
    path = f"/inspections/{record.assigned}/team"
    refused = app_client.post(path, data={"csrf": csrf, "username": "dora.disabled"})
    assert refused.status_code == 400
    assert "dora.disabled&#39;s account is disabled" in refused.text
    assert '<option value="dora.disabled" selected>' in refused.text
    manager = app_client.post(path, data={"csrf": csrf, "username": MANAGER})
    assert manager.status_code == 400 and "only an inspector&#39;s account joins" in manager.text
    empty = app_client.post(path, data={"csrf": csrf, "username": ""})
    assert empty.status_code == 400 and "Choose the inspector" in empty.text
    with Session(context.engine()) as session:
        assert users.team_of(session, inspection_id=record.assigned) == ["ian.inspector"]


def test_only_the_manager_may_change_a_team(record: BoardRecord, app_client: TestClient) -> None:
    path = f"/inspections/{record.assigned}/team"
    for role, status in [("inspector", 403), ("body", 403), ("public", 403), (None, 401)]:
        csrf = sign_in(app_client, role)
        form = {"csrf": csrf or "x", "username": "ian.inspector"}
        assert app_client.post(f"{path}/remove", data=form).status_code == status
        assert app_client.post(path, data=form).status_code == status
        assert app_client.get(path).status_code == (401 if role is None else 403)
    with Session(context.engine()) as session:
        assert users.team_of(session, inspection_id=record.assigned) == ["ian.inspector"]


PLAN = "/programmes/esi/plan"
ESI_2003 = {"start-day": "1", "start-month": "4", "start-year": "2003"}


def esi_inspections() -> list[Inspection]:
    from inspectorate.adapters.models import Programme

    with Session(context.engine()) as session:
        return list(
            session.exec(
                select(Inspection)
                .join(Programme, col(Programme.id) == col(Inspection.programme_id))
                .where(Programme.code == "esi")
            ).all()
        )


def test_the_plan_preview_shows_what_scheduling_would_do_and_writes_nothing(
    record: BoardRecord, app_client: TestClient
) -> None:
    sign_in(app_client, "manager")
    assert 'name="start-day"' in app_client.get(PLAN).text
    preview = app_client.get(PLAN, params=ESI_2003)
    assert preview.status_code == 200
    assert "What scheduling the plan would do, as of 25 November 2013" in preview.text
    assert "new, late notice" in preview.text and "Schedule them anyway" in preview.text
    assert re.search(r"<button type=\"submit\">Schedule \d+ new inspections</button>", preview.text)
    assert esi_inspections() == []
    bad = app_client.get(PLAN, params={**ESI_2003, "start-month": "13"})
    assert bad.status_code == 400 and "Plan from must be a real date: 1/13/2003" in bad.text
    assert (
        'name="start-month" type="text" inputmode="numeric" size="2" maxlength="2" value="13"'
        in (bad.text)
    )


def test_the_manager_schedules_the_plan_only_once_late_notice_is_accepted(
    record: BoardRecord, app_client: TestClient
) -> None:
    csrf = sign_in(app_client, "manager")
    refused = app_client.post(PLAN, data={**ESI_2003, "csrf": csrf})
    assert refused.status_code == 400 and "The plan starts before today" in refused.text
    assert 'href="#late"' in refused.text and 'name="start-year" value="2003"' in refused.text
    assert esi_inspections() == []
    answer = app_client.post(PLAN, data={**ESI_2003, "csrf": csrf, "late": "yes"})
    assert answer.status_code == 200
    said = re.search(
        r"Scheduled (\d+) new inspections \(0 were in the record already\)", answer.text
    )
    scheduled = esi_inspections()
    assert said is not None and int(said.group(1)) == len(scheduled) > 0
    assert {a for i in scheduled if i.id for a, _, _ in audit_of(i.id, "schedule")} == {MANAGER}
    again = app_client.post(PLAN, data={**ESI_2003, "csrf": csrf, "late": "yes"})
    assert f"Scheduled 0 new inspections ({len(scheduled)} were in the record already)" in (
        again.text
    )


def test_a_plan_the_record_refuses_is_scheduled_not_at_all_and_says_why(
    record: BoardRecord, app_client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    csrf = sign_in(app_client, "manager")
    # As if the record's inspections had been booked after the plan was made.
    monkeypatch.setattr(plan_scheduling, "record_around", lambda *_a, **_k: ([], {}))
    form = {"start-day": "1", "start-month": "4", "start-year": "2013", "late": "yes"}
    refused = app_client.post("/programmes/iaow/plan", data={**form, "csrf": csrf})
    assert refused.status_code == 400 and 'class="error-summary"' in refused.text
    summary = refused.text.split('class="error-summary"')[1].split("</div>")[0]
    assert "the plan cannot be scheduled beside what the record holds" in summary
    assert re.search(r"[A-Z][a-z]+ from \d+ [A-Z][a-z]+ 201\d: ", summary)
    assert "(nothing was scheduled)" in summary and 'href="#start-day"' in summary
    # The preview under it marks what is refused, and offers no button to schedule.
    assert '<strong class="error">refused: ' in refused.text
    assert "would be refused beside what the record holds" in refused.text
    assert "Schedule them anyway" not in refused.text and "new inspections</button>" not in (
        refused.text
    )
    assert len(inspections_of("Cheshire")) == 0


def test_the_plan_is_made_around_the_inspections_in_the_record(
    record: BoardRecord, app_client: TestClient
) -> None:
    sign_in(app_client, "manager")
    form = {"start-day": "1", "start-month": "4", "start-year": "2013"}
    preview = app_client.get("/programmes/iaow/plan", params=form).text
    (cumbria,) = re.findall(r"<tr><td>[^<]*</td><td>Cumbria</td>.*?</tr>", preview)
    (in_record,) = [i for i in inspections_of("Cumbria") if i.kind == "inspection"]
    booked = in_record.fieldwork_start.strftime("%-d %B %Y")
    assert f"<td>{booked}</td>" in cumbria and "already in the record" in cumbria
    assert "refused" not in preview and "Schedule them anyway" in preview


def test_only_the_manager_may_plan(record: BoardRecord, app_client: TestClient) -> None:
    for role, status in [("inspector", 403), ("body", 403), ("public", 403), (None, 401)]:
        csrf = sign_in(app_client, role)
        form = {**ESI_2003, "csrf": csrf or "x", "late": "yes"}
        assert app_client.post(PLAN, data=form).status_code == status
        assert app_client.get(PLAN, params=ESI_2003).status_code == (401 if role is None else 403)
    assert esi_inspections() == []


@pytest.mark.parametrize(
    ("day", "month", "year"),
    [
        ("9999999999", "2", "2014"),
        ("1", "9999999999", "2014"),
        ("²", "2", "2014"),
        ("１７", "2", "2014"),
        ("17", "2", "14"),
        ("17", "2", "9999"),
        ("-1", "2", "2014"),
    ],
)
def test_a_date_that_is_no_date_is_refused_on_the_form(
    record: BoardRecord, app_client: TestClient, day: str, month: str, year: str
) -> None:
    csrf = sign_in(app_client, "manager")
    answer = app_client.post("/schedule", data=schedule_form("Cheshire", day, month, year, csrf))
    assert answer.status_code == 400 and 'href="#fieldwork_start-day"' in answer.text
    assert "Fieldwork start must be" in answer.text
    assert inspections_of("Cheshire") == []


def test_the_managers_pages_lead_to_the_actions_and_no_one_elses_do(
    record: BoardRecord, app_client: TestClient
) -> None:
    links = ['href="/schedule?programme=iaow"', 'href="/programmes/iaow/plan"']
    team = f'href="/inspections/{record.assigned}/team"'
    sign_in(app_client, "manager")
    pages = app_client.get("/").text + app_client.get("/programmes/iaow").text
    assert all(link in pages for link in links)
    assert team in app_client.get(f"/inspections/{record.assigned}").text
    sign_in(app_client, "inspector")
    pages = app_client.get("/").text + app_client.get("/programmes/iaow").text
    assert not any(link in pages for link in links)
    assert team not in app_client.get(f"/inspections/{record.assigned}").text
