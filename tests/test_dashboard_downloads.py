"""Dashboard downloads of the plan, the record and the audit trail: the manager's only."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

import openpyxl
import pytest
from fastapi.testclient import TestClient

from dashboard.app import create_app
from inspectorate.adapters import clock
from inspectorate.adapters.export_files import CSV_TYPE, XLSX_TYPE
from tests.dashboard_record import BoardRecord, build_board_record
from tests.test_dashboard import ROLE_NAMES, sign_in


@pytest.fixture
def record(sqlite_database: str) -> BoardRecord:
    return build_board_record()


@pytest.fixture
def app_client() -> Iterator[TestClient]:
    with TestClient(create_app()) as client:
        yield client


def test_only_the_manager_may_download_an_export(
    record: BoardRecord, app_client: TestClient
) -> None:
    seen = {}
    for role in ROLE_NAMES:
        sign_in(app_client, role)
        seen[role] = [
            app_client.get(f"/exports/{kind}?format=csv").status_code
            for kind in ("plan", "record", "audit")
        ]
    assert seen == {
        "manager": [200, 200, 200],
        "inspector": [403, 403, 403],
        "body": [403, 403, 403],
        "public": [403, 403, 403],
        None: [403, 403, 403],
    }


def test_the_record_downloads_as_a_workbook_with_scores_only_once_published(
    record: BoardRecord, app_client: TestClient
) -> None:
    sign_in(app_client, "manager")
    answer = app_client.get("/exports/record?format=xlsx&programme=iaow")
    assert answer.status_code == 200
    assert answer.headers["content-type"] == XLSX_TYPE
    name = f"inspectorate-record-iaow-{clock.today().isoformat()}.xlsx"
    assert answer.headers["content-disposition"] == f'attachment; filename="{name}"'
    assert answer.headers["cache-control"] == "no-store"
    sheet = openpyxl.load_workbook(io.BytesIO(answer.content)).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    scores = [i for i, heading in enumerate(rows[0]) if str(heading).endswith("(%)")]
    by_id = {row[0]: row for row in rows[1:]}
    assert set(by_id) == {record.published, record.draft, record.assigned, record.scored}
    assert scores and all(isinstance(by_id[record.published][i], float) for i in scores)
    assert all(by_id[record.draft][i] is None for i in scores)  # scored, still embargoed


def test_the_audit_trail_downloads_as_csv_for_the_days_asked(
    record: BoardRecord, app_client: TestClient
) -> None:
    sign_in(app_client, "manager")
    answer = app_client.get("/exports/audit?format=csv&from=2014-05-30&to=2014-05-30")
    assert answer.status_code == 200 and answer.headers["content-type"] == CSV_TYPE
    assert answer.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(answer.content.decode("utf-8-sig"))))
    assert rows and {r["Time"][:10] for r in rows} == {"2014-05-30"}
    assert {r["Inspection"] for r in rows} == {str(record.published)}


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/exports/sample?format=csv", 404),
        ("/exports/plan?format=pdf", 404),
        ("/exports/plan?programme=zz", 404),
        ("/exports/audit?from=2014-02-31", 400),
        ("/exports/audit?to=9999-12-31", 400),
        ("/exports/audit?from=2014-03-01&to=2014-02-01", 400),
    ],
)
def test_an_export_that_cannot_be_is_refused(
    record: BoardRecord, app_client: TestClient, path: str, status: int
) -> None:
    sign_in(app_client, "manager")
    assert app_client.get(path).status_code == status


def test_the_manager_finds_the_downloads_on_home_and_timeline(
    record: BoardRecord, app_client: TestClient
) -> None:
    sign_in(app_client, "manager")
    assert 'href="/exports/audit?format=xlsx"' in app_client.get("/").text
    timeline = app_client.get("/programmes/iaow").text
    assert 'href="/exports/record?programme=iaow&amp;format=csv"' in timeline
    sign_in(app_client, "inspector")
    assert "/exports/" not in app_client.get("/").text
    assert "/exports/" not in app_client.get("/programmes/iaow").text
