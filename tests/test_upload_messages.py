"""A refused upload names the file as its sender named it: no server folder, no huge page."""

from __future__ import annotations

import random
import re
import string
import tempfile
import time
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from dashboard.app import create_app
from dashboard.hints import explain, upload_name
from inspectorate.domain.errors import InvalidFile
from tests.dashboard_record import PASSWORD, ROLES, build_board_record
from tests.test_xlsx_limits import GOOD, HEADER, sheet, workbook

pytestmark = pytest.mark.usefixtures("prefect_server")


@pytest.fixture
def manager(sqlite_database: str) -> Iterator[tuple[TestClient, str, int]]:
    """A client signed in as the manager, its CSRF token, and a scored inspection's id."""
    record = build_board_record()
    with TestClient(create_app()) as client:
        form = client.get("/login")
        token = re.search(r'name="csrf" value="([^"]+)"', form.text)
        assert token is not None
        client.post(
            "/login",
            data={"username": ROLES["manager"], "password": PASSWORD, "csrf": token.group(1)},
        )
        csrf = re.search(r'name="csrf" value="([^"]+)"', client.get("/").text)
        assert csrf is not None
        yield client, csrf.group(1), record.scored


def upload(client: TestClient, csrf: str, inspection_id: int, name: str, data: bytes) -> str:
    """Post a judgements file as the dashboard's form does; return the refusal page."""
    started = time.monotonic()
    answer = client.post(
        f"/inspections/{inspection_id}/fieldwork",
        data={"csrf": csrf},
        files={"judgements": (name, data, "application/octet-stream")},
        follow_redirects=False,
    )
    assert time.monotonic() - started < 10
    assert answer.status_code == 400, answer.text[:500]
    assert len(answer.content) < 20_000
    return answer.text


def test_a_refused_workbook_names_the_senders_file_not_the_servers_folder(
    manager: tuple[TestClient, str, int],
) -> None:
    client, csrf, inspection_id = manager
    bomb = workbook(sheet([HEADER, ("c1", "1.1a", "x" * 20_000_000)]))
    page = upload(client, csrf, inspection_id, "C:\\Users\\ian\\Durham final.xlsx", bomb)
    assert "Durham final.xlsx: 1 problem(s)" in page and "expands" in page
    assert tempfile.gettempdir() not in page and "Users" not in page


def test_bad_rows_are_listed_under_the_senders_file_name(
    manager: tuple[TestClient, str, int],
) -> None:
    client, csrf, inspection_id = manager
    noise = random.Random(2)
    rows = [
        *GOOD,
        *(
            (f"c{n}", "1.1a", "".join(noise.choices(string.ascii_letters, k=5_000)))
            for n in range(40)
        ),
    ]
    page = upload(client, csrf, inspection_id, "judgements (Durham).xlsx", workbook(sheet(rows)))
    assert "judgements (Durham).xlsx:" in page and tempfile.gettempdir() not in page
    assert "is not one of" in page and "… and" in page


def test_the_dashboard_shows_only_a_files_own_name() -> None:
    error = InvalidFile("/tmp/tmpk2j3/Durham.csv", ["row 2, column judgement: 'x' is bad"])
    assert explain(error).startswith("Durham.csv: 1 problem(s):")


@pytest.mark.parametrize(
    ("sent", "kept"),
    [
        ("Durham judgements (final).xlsx", "Durham judgements (final).xlsx"),
        ("../../etc/cron.d/x.xlsx", "x.xlsx"),
        ("C:\\Users\\ian\\j.XLSX", "j.xlsx"),
        ("a\nb<script>.csv", "a_b_script_.csv"),
        (None, "judgements.csv"),
        ("x" * 300 + ".csv", "x" * 100 + ".csv"),
    ],
)
def test_an_uploads_name_is_kept_safely(sent: str | None, kept: str) -> None:
    suffix = ".csv" if kept.endswith(".csv") else ".xlsx"
    assert upload_name(sent, suffix) == kept
