"""The inspection's own actions on forms of their own (dashboard/actions.py).

Reschedule, fieldwork upload, comments, sign-off and publish: each works from its page,
and each refusal comes back on the same form, status 400, with the error summary linking
to the field and what was typed kept; nothing changes in the record.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from dashboard.app import create_app
from inspectorate.adapters import clock
from inspectorate.adapters.models import Inspection
from inspectorate.domain.lifecycle import Stage
from inspectorate.services import context, stages
from tests.dashboard_record import ROLES, BoardRecord, build_board_record
from tests.factories import morning
from tests.test_dashboard import sign_in
from tests.test_dashboard_actions import audit_of

pytestmark = pytest.mark.usefixtures("prefect_server")


@pytest.fixture
def record(sqlite_database: str, virtual_clock: clock.VirtualClock) -> BoardRecord:
    """The board's record, looked at on Monday 25 November 2013."""
    return build_board_record()


@pytest.fixture
def app_client() -> Iterator[TestClient]:
    with TestClient(create_app()) as client:
        yield client


def summary_of(html: str) -> str:
    """The error summary's text (empty when the page has none)."""
    found = re.search(r'<div class="error-summary".*?</div>', html, re.S)
    return found.group(0) if found else ""


def fieldwork_start(inspection_id: int) -> str:
    with Session(context.engine()) as session:
        inspection = session.get(Inspection, inspection_id)
        assert inspection is not None
        return inspection.fieldwork_start.isoformat()


def reschedule_form(day: str, month: str, year: str, why: str, csrf: str) -> dict[str, str]:
    return {
        "csrf": csrf,
        "why": why,
        "fieldwork_start-day": day,
        "fieldwork_start-month": month,
        "fieldwork_start-year": year,
    }


def test_the_manager_reschedules_from_its_own_page_with_a_date_in_three_fields(
    record: BoardRecord, app_client: TestClient
) -> None:
    csrf = sign_in(app_client, "manager")
    path = f"/inspections/{record.assigned}/reschedule"
    assert f'href="{path}"' in app_client.get(f"/inspections/{record.assigned}").text
    form = app_client.get(path)
    assert form.status_code == 200 and 'name="fieldwork_start-day"' in form.text
    answer = app_client.post(path, data=reschedule_form("19", "5", "2014", "Team ill", csrf))
    assert answer.status_code == 200
    assert "fieldwork moved from 12 May 2014 to 19 May 2014" in answer.text
    assert fieldwork_start(record.assigned) == "2014-05-19"
    assert audit_of(record.assigned, "reschedule")[-1][0] == ROLES["manager"]
    assert audit_of(record.assigned, "reschedule")[-1][2] == "Team ill"


def test_a_reason_typed_with_line_breaks_is_taken_as_long_as_the_box_allowed(
    record: BoardRecord, app_client: TestClient
) -> None:
    csrf = sign_in(app_client, "manager")
    typed = "\n".join(["The team lead is ill this week; the trust agreed the move."] * 8)
    sent = typed.replace("\n", "\r\n") + "\r\n" * 20  # as a browser sends it
    assert len(typed) + 20 <= 500 < len(sent)  # the box allowed it; 500 was refused unread
    path = f"/inspections/{record.assigned}/reschedule"
    answer = app_client.post(path, data=reschedule_form("19", "5", "2014", sent, csrf))
    assert answer.status_code == 200 and "fieldwork moved" in answer.text
    assert audit_of(record.assigned, "reschedule")[-1][2] == typed


def test_an_inspection_past_its_fieldwork_offers_no_reschedule(
    record: BoardRecord, app_client: TestClient
) -> None:
    sign_in(app_client, "manager")
    page = app_client.get(f"/inspections/{record.scored}").text
    assert f"/inspections/{record.scored}/reschedule" not in page
    assert (
        f"/inspections/{record.assigned}/reschedule"
        in app_client.get(f"/inspections/{record.assigned}").text
    )


@pytest.mark.parametrize(
    ("day", "month", "year", "why", "field", "says"),
    [
        ("26", "5", "2014", "Team ill", "fieldwork_start", "Spring Bank Holiday"),
        ("2", "6", "2014", "Team ill", "fieldwork_start", "from 1 April 2010 to 31 May 2014"),
        ("20", "5", "2014", "Team ill", "fieldwork_start", "Monday"),
        ("31", "2", "2014", "Team ill", "fieldwork_start", "31/2/2014 is not a day"),
        ("19", "", "2014", "Team ill", "fieldwork_start", "must include a month"),
        ("19", "5", "2014", "  ", "why", "Enter why the fieldwork moves"),
        ("12", "5", "2014", "Team ill", "fieldwork_start", "already starts on Monday 12 May"),
        ("19", "5", "2014", "x" * 501, "why", "The reason must be 500 characters or fewer"),
    ],
)
def test_a_refused_reschedule_says_why_on_its_form_and_keeps_what_was_typed(
    record: BoardRecord,
    app_client: TestClient,
    day: str,
    month: str,
    year: str,
    why: str,
    field: str,
    says: str,
) -> None:
    csrf = sign_in(app_client, "manager")
    answer = app_client.post(
        f"/inspections/{record.assigned}/reschedule",
        data=reschedule_form(day, month, year, why, csrf),
    )
    assert answer.status_code == 400
    summary = summary_of(answer.text)
    assert says in summary and f'href="#{field}' in summary
    assert f'id="{field}-error"' in answer.text
    assert f'value="{day}"' in answer.text and f'value="{year}"' in answer.text
    assert f">{why}</textarea>" in answer.text
    assert fieldwork_start(record.assigned) == "2014-05-12"
    assert audit_of(record.assigned, "reschedule") == []


def test_a_script_may_still_give_the_new_date_as_one_iso_field(
    record: BoardRecord, app_client: TestClient
) -> None:
    csrf = sign_in(app_client, "manager")
    path = f"/inspections/{record.assigned}/reschedule"
    refused = app_client.post(
        path, data={"fieldwork_start": "19/05/2014", "why": "x", "csrf": csrf}
    )
    assert refused.status_code == 400 and "is not a date like 2014-02-10" in summary_of(
        refused.text
    )
    moved = app_client.post(path, data={"fieldwork_start": "2014-05-19", "why": "x", "csrf": csrf})
    assert moved.status_code == 200 and fieldwork_start(record.assigned) == "2014-05-19"


def test_only_the_manager_sees_the_reschedule_form(
    record: BoardRecord, app_client: TestClient
) -> None:
    path = f"/inspections/{record.assigned}/reschedule"
    for role, status in [("inspector", 403), ("body", 403), ("public", 403), (None, 401)]:
        sign_in(app_client, role)
        assert app_client.get(path).status_code == status


def test_empty_comments_are_refused_on_the_comments_form(
    record: BoardRecord, app_client: TestClient
) -> None:
    csrf = sign_in(app_client, "body")
    path = f"/inspections/{record.draft}/comments"
    assert app_client.get(path).status_code == 200
    refused = app_client.post(path, data={"text": "  \n ", "csrf": csrf})
    assert refused.status_code == 400
    assert "Write the comments before sending them" in summary_of(refused.text)
    assert 'href="#text"' in summary_of(refused.text) and 'id="text-error"' in refused.text


def test_a_judgements_file_of_the_wrong_kind_is_refused_on_the_upload_form(
    record: BoardRecord, app_client: TestClient
) -> None:
    csrf = sign_in(app_client, "manager")
    path = f"/inspections/{record.scored}/fieldwork"
    upload = {"judgements": ("notes.txt", b"a,b\n", "text/plain")}
    refused = app_client.post(path, data={"csrf": csrf}, files=upload)
    assert refused.status_code == 400
    assert "must be a .csv or .xlsx file" in summary_of(refused.text)
    assert 'id="judgements-error"' in refused.text and "Choose the file again" in refused.text


def test_publishing_asks_first_and_a_refusal_shows_on_the_same_page(
    record: BoardRecord, app_client: TestClient
) -> None:
    csrf = sign_in(app_client, "manager")
    path = f"/inspections/{record.assigned}/publish"
    early = app_client.get(path)
    assert early.status_code == 200 and "Not yet" in early.text
    assert "Yes, publish the report" not in early.text
    refused = app_client.post(path, data={"csrf": csrf})
    assert refused.status_code == 400 and 'href="#publish"' in summary_of(refused.text)
    assert "cannot publish an inspection that is announced" in summary_of(refused.text)
    assert audit_of(record.assigned, "publish") == []


def test_the_manager_publishes_a_signed_off_report_after_confirming(
    record: BoardRecord, app_client: TestClient
) -> None:
    context.run(
        stages.apply_stage,
        inspection_id=record.draft,
        stage=Stage.CLOSE_COMMENTS,
        actor="body",
        now=morning("2014-04-22"),
    )
    csrf = sign_in(app_client, "manager")
    path = f"/inspections/{record.draft}/publish"
    assert "Not yet" in app_client.get(path).text  # the publication is not signed off
    signed = app_client.post(
        f"/inspections/{record.draft}/sign-off", data={"what": "publication", "csrf": csrf}
    )
    assert signed.status_code == 200 and f'href="{path}"' in signed.text
    assert "Yes, publish the report" in app_client.get(path).text
    published = app_client.post(path, data={"csrf": csrf})
    assert published.status_code == 200 and "Publish: comments closed → published" in published.text
    assert audit_of(record.draft, "publish")[-1][:2] == (ROLES["manager"], "published")
