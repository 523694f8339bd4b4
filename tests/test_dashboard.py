"""The dashboard over HTTP: who sees what (a role × endpoint matrix), forms, CSRF, escaping."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from dashboard.app import create_app
from inspectorate.adapters.models import AuditEvent, DraftComment, Inspection
from inspectorate.services import context, stages
from tests.dashboard_record import PASSWORD, ROLES, BoardRecord, build_board_record

pytestmark = pytest.mark.usefixtures("prefect_server")


@pytest.fixture
def record(sqlite_database: str) -> BoardRecord:
    return build_board_record()


@pytest.fixture
def app_client() -> Iterator[TestClient]:
    with TestClient(create_app()) as client:
        yield client


def sign_in(client: TestClient, role: str | None) -> str:
    """Sign in as `role` (None stays anonymous); return the session's CSRF token."""
    client.cookies.clear()
    if role is None:
        return ""
    form = client.get("/login")
    token = re.search(r'name="csrf" value="([^"]+)"', form.text)
    assert token is not None
    answer = client.post(
        "/login",
        data={"username": ROLES[role], "password": PASSWORD, "csrf": token.group(1)},
        follow_redirects=False,
    )
    assert answer.status_code == 303, answer.text
    session_cookie = answer.headers["set-cookie"]
    assert "HttpOnly" in session_cookie and "SameSite=lax" in session_cookie
    home = client.get("/")
    csrf = re.search(r'name="csrf" value="([^"]+)"', home.text)
    assert csrf is not None
    return csrf.group(1)


ROLE_NAMES = ["manager", "inspector", "body", "public", None]


def expected_matrix(r: BoardRecord) -> dict[str, list[int]]:
    """Status per path for manager, inspector, body, public, anonymous."""
    return {
        "/": [200, 200, 200, 200, 200],
        "/reports": [200, 200, 200, 200, 200],
        "/programmes/iaow": [200, 200, 403, 403, 401],
        "/programmes/iaow/analytics": [200, 200, 403, 403, 401],
        "/deadlines?as_of=2014-04-07": [200, 200, 403, 403, 401],
        f"/inspections/{r.published}": [200, 200, 200, 200, 200],
        f"/inspections/{r.draft}": [200, 403, 200, 403, 401],
        f"/inspections/{r.assigned}": [200, 200, 403, 403, 401],
        f"/inspections/{r.scored}": [200, 200, 403, 403, 401],
        f"/documents/{r.draft_document}": [200, 403, 200, 403, 401],
        f"/documents/{r.published_document}": [200, 200, 200, 200, 200],
        "/api/inspections": [200, 200, 200, 200, 200],
        f"/api/inspections/{r.draft}": [200, 403, 200, 403, 403],
        f"/api/inspections/{r.scored}": [200, 200, 403, 403, 403],
        "/api/programmes/iaow/timeline": [200, 200, 403, 403, 403],
        "/api/deadlines?as_of=2014-04-07": [200, 200, 403, 403, 403],
        "/api/reports": [200, 200, 200, 200, 200],
        "/inspections/999": [404, 404, 404, 404, 404],
    }


def test_every_role_gets_exactly_what_it_may_see(
    record: BoardRecord, app_client: TestClient
) -> None:
    matrix = expected_matrix(record)
    seen = {}
    for n, role in enumerate(ROLE_NAMES):
        sign_in(app_client, role)
        for path, statuses in matrix.items():
            seen[(path, role)] = (app_client.get(path).status_code, statuses[n])
    wrong = {k: v for k, v in seen.items() if v[0] != v[1]}
    assert wrong == {}


def test_lists_and_scores_follow_the_embargo(record: BoardRecord, app_client: TestClient) -> None:
    visible = {}
    for role in ROLE_NAMES:
        sign_in(app_client, role)
        visible[role] = sorted(i["id"] for i in app_client.get("/api/inspections").json())
    assert visible["manager"] == sorted(
        [record.published, record.draft, record.assigned, record.scored]
    )
    assert visible["inspector"] == sorted([record.published, record.assigned, record.scored])
    assert visible["body"] == sorted([record.published, record.draft])
    assert visible["public"] == visible[None] == [record.published]
    sign_in(app_client, "body")
    assert app_client.get(f"/api/inspections/{record.draft}").json()["headline_scores"]
    assert "audit" not in app_client.get(f"/api/inspections/{record.draft}").json()
    sign_in(app_client, None)
    published = app_client.get(f"/api/inspections/{record.published}").json()
    assert published["headline_scores"] and all(d["public"] for d in published["documents"])


def test_forms_need_their_csrf_token_and_the_right_role(
    record: BoardRecord, app_client: TestClient
) -> None:
    csrf = sign_in(app_client, "body")
    path = f"/inspections/{record.draft}/comments"
    assert app_client.post(path, data={"text": "x", "csrf": "forged"}).status_code == 403
    assert (
        app_client.post(f"/inspections/{record.published}/publish", data={"csrf": csrf}).status_code
        == 403
    )
    sign_in(app_client, None)
    assert app_client.post(path, data={"text": "x", "csrf": "x"}).status_code == 401
    assert (
        app_client.post("/login", data={"username": "a", "password": "b", "csrf": "x"}).status_code
        == 403
    )


def test_hostile_input_comes_back_escaped_and_changes_nothing_else(
    record: BoardRecord, app_client: TestClient
) -> None:
    hostile = "<script>alert('x')</script>' OR 1=1; DROP TABLE inspection; --"
    csrf = sign_in(app_client, "body")
    answer = app_client.post(
        f"/inspections/{record.draft}/comments", data={"text": hostile, "csrf": csrf}
    )
    assert answer.status_code == 200 and "comments kept" in answer.text
    assert "<script>alert" not in answer.text and "&lt;script&gt;alert(&#39;x&#39;)" in answer.text
    csrf = sign_in(app_client, "manager")
    answer = app_client.post(
        f"/inspections/{record.assigned}/reschedule",
        data={"fieldwork_start": "2014-05-19", "why": hostile, "csrf": csrf},
    )
    assert answer.status_code == 200 and "<script>alert" not in answer.text
    assert "&lt;script&gt;" in answer.text  # in the audit trail, escaped
    refused = app_client.post(
        f"/inspections/{record.assigned}/reschedule",
        data={"fieldwork_start": hostile[:10], "why": "x", "csrf": csrf},
    )
    assert refused.status_code == 400 and "<script>" not in refused.text
    sign_in(app_client, None)
    app_client.cookies.set("inspectorate_login_csrf", "t")
    bad = app_client.post(
        "/login", data={"username": hostile[:80], "password": hostile, "csrf": "t"}
    )
    assert bad.status_code == 401 and "<script>alert" not in bad.text
    with Session(context.engine()) as session:
        assert len(session.exec(select(Inspection)).all()) == 4
        assert [c.text for c in session.exec(select(DraftComment)).all()] == [hostile]
        assert (
            session.exec(select(Inspection).where(Inspection.id == record.draft)).one().status
            == "comments_closed"
        )
        assert any(e.why == hostile for e in session.exec(select(AuditEvent)).all())


def test_pages_carry_security_headers_and_the_api_has_its_schema(
    record: BoardRecord, app_client: TestClient
) -> None:
    answer = app_client.get("/")
    assert "default-src 'self'" in answer.headers["content-security-policy"]
    assert answer.headers["x-content-type-options"] == "nosniff"
    schema = app_client.get("/api/openapi.json").json()
    assert {"/api/inspections", "/api/reports", "/api/deadlines"} <= set(schema["paths"])
    assert "/login" not in schema["paths"]


def test_the_timeline_draws_every_inspection_and_a_line_for_the_day(
    record: BoardRecord, app_client: TestClient
) -> None:
    sign_in(app_client, "manager")
    html = app_client.get("/programmes/iaow?as_of=2014-04-07").text
    assert html.count('<a href="/inspections/') == 4 and ">as of 7 Apr 2014</text>" in html
    sign_in(app_client, "inspector")
    html = app_client.get("/programmes/iaow?as_of=2014-04-07").text
    assert html.count('<a href="/inspections/') == 2  # only the inspections they are on
    week = app_client.get("/api/deadlines?as_of=2014-05-12").json()
    assert {d["inspection_id"] for d in week["this_week"] + week["overdue"]} == {
        record.assigned,
        record.scored,  # its draft is overdue: held for the inspector's sign-off
    }
    assert "fieldwork_start" in {d["milestone"] for d in week["this_week"]}


def test_a_kept_page_is_rendered_again_once_the_record_changes(
    record: BoardRecord, app_client: TestClient
) -> None:
    from inspectorate.domain.lifecycle import Stage
    from tests.factories import morning

    sign_in(app_client, "manager")
    path = f"/inspections/{record.draft}"
    assert "draft sent" in app_client.get(path).text
    assert app_client.get(path).text == app_client.get(path).text  # kept
    context.run(
        stages.apply_stage,
        inspection_id=record.draft,
        stage=Stage.CLOSE_COMMENTS,
        actor="body",
        now=morning("2014-04-22"),
    )
    assert "comments closed" in app_client.get(path).text


def test_every_role_may_only_take_its_own_actions(
    record: BoardRecord, app_client: TestClient
) -> None:
    # Payloads an allowed role gets past the gate with, then refused as input (400):
    # so 400 means "allowed", 403 "not allowed", 401 "sign in first".
    actions = {
        f"/inspections/{record.assigned}/reschedule": (
            {"fieldwork_start": "not a date", "why": "x"},
            [400, 403, 403, 403, 401],
        ),
        f"/inspections/{record.assigned}/publish": ({}, [400, 403, 403, 403, 401]),
        f"/inspections/{record.draft}/comments": ({"text": "   "}, [403, 403, 400, 403, 401]),
        # The draft's lead inspector gets past the gate (its text is missing); the manager
        # signs off publications only.
        f"/inspections/{record.scored}/sign-off": ({"what": "draft"}, [403, 400, 403, 403, 401]),
    }
    seen = {}
    for n, role in enumerate(ROLE_NAMES):
        csrf = sign_in(app_client, role)
        for path, (data, statuses) in actions.items():
            status = app_client.post(path, data={**data, "csrf": csrf or "x"}).status_code
            seen[(path, role)] = (status, statuses[n])
    assert {k: v for k, v in seen.items() if v[0] != v[1]} == {}
    with Session(context.engine()) as session:
        statuses = {i.id: i.status for i in session.exec(select(Inspection)).all()}
    assert statuses[record.draft] == "draft_sent" and statuses[record.assigned] == "announced"
    assert statuses[record.scored] == "scored"


def test_the_dashboard_refuses_the_dates_the_command_line_refuses(
    record: BoardRecord, app_client: TestClient
) -> None:
    csrf = sign_in(app_client, "manager")
    path = f"/inspections/{record.assigned}/reschedule"
    for day, says in [
        ("2014-05-26", "has a bank holiday (Spring Bank Holiday, 26 May 2014)"),
        ("2014-06-02", "Cumbria (trust) exists from 1 April 2010 to 31 May 2014"),
    ]:
        answer = app_client.post(path, data={"fieldwork_start": day, "why": "x", "csrf": csrf})
        assert answer.status_code == 400 and says in answer.text
        assert "Fieldwork start" in answer.text
    with Session(context.engine()) as session:
        moved = session.get(Inspection, record.assigned)
        assert moved is not None and moved.fieldwork_start.isoformat() == "2014-05-12"


def sign_off_form(html: str) -> str | None:
    """The label of the sign-off form's button on a page, or None when there is no form."""
    found = re.search(
        r'action="/inspections/\d+/sign-off".*?<button type="submit">([^<]+)<', html, re.S
    )
    return found.group(1) if found else None


def sign_offs_in_the_audit(inspection_id: int) -> list[tuple[str, str | None, str]]:
    with Session(context.engine()) as session:
        events = session.exec(
            select(AuditEvent).where(
                AuditEvent.inspection_id == inspection_id, AuditEvent.action == "signed_off"
            )
        ).all()
    return [(e.actor, e.to_state, e.why) for e in events]


def test_the_lead_inspector_signs_off_the_draft_on_the_inspection_page(
    record: BoardRecord, app_client: TestClient
) -> None:
    from tests.test_sign_off import store_text, team_text

    path = f"/inspections/{record.scored}"
    csrf = sign_in(app_client, "inspector")
    page = app_client.get(path).text
    assert "<h2>Sign-off</h2>" in page and "the report still lacks the team&#39;s text" in page
    assert sign_off_form(page) is None  # nothing to sign yet
    refused = app_client.post(
        f"{path}/sign-off", data={"what": "draft", "why": "Kept <b>", "csrf": csrf}
    )
    assert refused.status_code == 400 and "There is a problem" in refused.text
    assert f"the report of inspection {record.scored} still lacks" in refused.text
    assert ">Kept &lt;b&gt;</textarea>" in refused.text  # what was typed, on the same form
    store_text(record.scored, team_text(record.scored), "2014-04-01")
    page = app_client.get(path).text
    assert sign_off_form(page) == "Sign off the draft"
    assert "You sign off the draft report as the team's text and the scores stand now" in page
    assert "Note for the record" in page
    assert f'href="{path}/preview?what=draft"' in page  # what is signed off, read first
    draft = app_client.get(f"{path}/preview?what=draft")
    assert draft.status_code == 200 and "DRAFT" in draft.text and "Changed: staff" not in draft.text
    assert draft.headers["cache-control"] == "no-store"
    assert "default-src 'none'" in draft.headers["content-security-policy"]
    sign_in(app_client, "manager")
    assert sign_off_form(app_client.get(path).text) is None  # the lead inspector's to sign
    assert app_client.get(f"{path}/preview?what=draft").status_code == 403  # not theirs
    sign_in(app_client, "body")
    assert app_client.get(f"{path}/preview?what=draft").status_code == 403  # embargoed
    csrf = sign_in(app_client, "inspector")
    answer = app_client.post(
        f"{path}/sign-off", data={"what": "draft", "why": "Read twice", "csrf": csrf}
    )
    assert answer.status_code == 200
    assert f"Inspection {record.scored}: the draft is signed off by ian.inspector" in answer.text
    assert sign_offs_in_the_audit(record.scored) == [("ian.inspector", "draft", "Read twice")]
    assert "<td>draft</td><td>ian.inspector</td><td>inspector</td>" in answer.text
    assert "<td>yes</td><td>Read twice</td>" in answer.text
    assert sign_off_form(answer.text) is None  # signed off on the text as it stands
    store_text(record.scored, team_text(record.scored, strength="Changed: staff"), "2014-04-02")
    page = app_client.get(path).text
    assert "no: the text or the scores changed since" in page and "needs signing off again" in page
    assert sign_off_form(page) == "Sign off the draft"


def test_the_manager_signs_off_the_publication_before_the_publish_button_shows(
    record: BoardRecord, app_client: TestClient
) -> None:
    from inspectorate.domain.lifecycle import Stage
    from tests.factories import morning

    context.run(
        stages.apply_stage,
        inspection_id=record.draft,
        stage=Stage.CLOSE_COMMENTS,
        actor="body",
        now=morning("2014-04-22"),
    )
    path = f"/inspections/{record.draft}"
    csrf = sign_in(app_client, "manager")
    page = app_client.get(path).text
    assert "waiting for the programme manager to sign off the publication" in page
    assert sign_off_form(page) == "Sign off for publication"
    assert f'href="{path}/publish"' not in page  # not before the sign-off
    answer = app_client.post(f"{path}/sign-off", data={"what": "publication", "csrf": csrf})
    assert (
        answer.status_code == 200 and "the publication is signed off by mia.manager" in answer.text
    )
    assert sign_offs_in_the_audit(record.draft)[-1][:2] == ("mia.manager", "publication")
    assert sign_off_form(answer.text) is None and f'href="{path}/publish"' in answer.text
    sign_in(app_client, "body")
    page = app_client.get(path).text
    assert "<h2>Sign-off</h2>" not in page and sign_off_form(page) is None


def test_only_the_signer_may_sign_off_and_only_with_the_forms_token(
    record: BoardRecord, app_client: TestClient
) -> None:
    draft, scored = (
        f"/inspections/{record.draft}/sign-off",
        f"/inspections/{record.scored}/sign-off",
    )
    for role in ("body", "public"):
        csrf = sign_in(app_client, role)
        assert app_client.post(draft, data={"what": "publication", "csrf": csrf}).status_code == 403
    csrf = sign_in(app_client, "inspector")  # not on the Wales inspection's team
    assert app_client.post(draft, data={"what": "draft", "csrf": csrf}).status_code == 403
    csrf = sign_in(app_client, "manager")
    assert app_client.post(draft, data={"what": "publication", "csrf": "forged"}).status_code == 403
    assert app_client.post(draft, data={"what": "publication"}).status_code == 422
    assert app_client.post(scored, data={"what": "draft", "csrf": csrf}).status_code == 403
    wrong_status = app_client.post(scored, data={"what": "publication", "csrf": csrf})
    assert wrong_status.status_code == 400
    assert f"inspection {record.scored} is scored: the publication is signed off when" in (
        wrong_status.text
    )
    unknown = app_client.post(draft, data={"what": "everything", "csrf": csrf})
    assert unknown.status_code == 400 and "nothing called &#39;everything&#39;" in unknown.text
    assert sign_offs_in_the_audit(record.scored) == []
    assert [a for a, _, _ in sign_offs_in_the_audit(record.draft)] == ["scripted-lead-inspector"]
