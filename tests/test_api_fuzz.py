"""Inputs that cannot be valid answer 4xx, never 5xx: the whole API fuzzed from its schema.

Schemathesis reads /api/openapi.json and generates requests for every operation, data that
fits the schema and data that does not, for each role; hypothesis throws hostile values at
the HTML pages the schema leaves out. Derandomized, so a run repeats exactly.
"""

from __future__ import annotations

import contextlib
import urllib.parse
from collections.abc import Callable
from typing import Any

import pytest
import schemathesis
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error

from dashboard.app import create_app
from dashboard.web import SESSION_COOKIE
from tests.dashboard_record import ROLES, BoardRecord, build_board_record
from tests.test_dashboard_security import sign_in_as

ROLE_NAMES = ["anonymous", "public", "body", "inspector", "manager"]
EXAMPLES = 260  # per operation and mode: five runs with parameters make ≥ 1,000 a role
AT_LEAST = 1_000


def fuzz_settings(examples: int) -> Callable[[Any], Any]:
    """Hypothesis as the fuzz runs it: repeatable, no deadline, no shrinking, no database."""
    return settings(
        max_examples=examples,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )


def session_of(app: FastAPI, role: str) -> dict[str, str]:
    """The session cookie of `role` ('anonymous': none)."""
    if role == "anonymous":
        return {}
    with TestClient(app) as client:
        sign_in_as(client, ROLES[role])
        return {SESSION_COOKIE: client.cookies[SESSION_COOKIE]}


def fuzz_operation(operation: Any, mode: GenerationMode, cookies: dict[str, str]) -> list[str]:
    """Send generated requests for one operation; return one line per request sent (5xx marked)."""
    sent: list[str] = []

    @fuzz_settings(EXAMPLES)
    @given(case=operation.as_strategy(generation_mode=mode))
    def run(case: Any) -> None:
        try:
            response = case.call(cookies=cookies)
            case.validate_response(response, checks=[not_a_server_error])
        except Exception as failed:  # a 5xx, or the app raising through the transport
            sent.append(f"5xx {case.method} {case.formatted_path} {case.query}: {failed!r:.300}")
            return
        sent.append(f"{response.status_code} {case.method} {case.formatted_path}")

    with contextlib.suppress(Unsatisfiable):  # nothing to make invalid: no parameters
        run()
    return sent


@pytest.fixture
def record(sqlite_database: str) -> BoardRecord:
    return build_board_record()


@pytest.mark.parametrize("role", ROLE_NAMES)
def test_the_api_answers_no_5xx_to_anything_its_schema_generates(
    record: BoardRecord, role: str, capsys: pytest.CaptureFixture[str]
) -> None:
    app = create_app()
    cookies = session_of(app, role)
    schema = schemathesis.openapi.from_asgi("/api/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert {op.label for op in operations} >= {"GET /api/inspections/{inspection_id}"}
    sent = [
        line
        for operation in operations
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
        for line in fuzz_operation(operation, mode, cookies)
    ]
    errors = [line for line in sent if line.startswith("5xx")]
    with capsys.disabled():
        print(f"\napi fuzz ({role}): {len(sent)} requests, {len(errors)} server errors")
    assert errors == []
    assert len(sent) >= AT_LEAST
    assert len({line.split()[0] for line in sent}) > 1  # not one answer to everything


HOSTILE_TEXT = st.one_of(
    st.text(max_size=40),
    st.sampled_from(["9999-12-31", "0000-00-00", "2014-02-30", "-1", "%00", "../..", "１２"]),
)
HOSTILE_ID = st.one_of(
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.integers(min_value=0, max_value=6).map(str),
    HOSTILE_TEXT,
)


def _quoted(value: str) -> str:
    return urllib.parse.quote(value, safe="")


@pytest.mark.parametrize("role", ["anonymous", "manager"])
def test_the_pages_answer_no_5xx_to_hostile_paths_and_queries(
    record: BoardRecord, role: str, capsys: pytest.CaptureFixture[str]
) -> None:
    app = create_app()
    cookies = session_of(app, role)
    answers: list[tuple[int, str]] = []
    with TestClient(app, raise_server_exceptions=False, cookies=cookies) as client:

        @fuzz_settings(150)
        @given(
            page=st.sampled_from(["/inspections/{}", "/documents/{}", "/inspections/{}?note={}"]),
            ident=HOSTILE_ID,
            day=HOSTILE_TEXT,
            where=st.sampled_from(["/deadlines?as_of={}", "/programmes/{}?as_of={}"]),
            code=st.sampled_from(["iaow", "cci", "x"]),
        )
        def run(page: str, ident: str, day: str, where: str, code: str) -> None:
            paths = [page.format(_quoted(ident), _quoted(day))]
            args = [_quoted(day)] if where.startswith("/deadlines") else [code, _quoted(day)]
            paths.append(where.format(*args))
            for path in paths:
                answers.append((client.get(path).status_code, path))

        run()
    errors = [(status, path) for status, path in answers if status >= 500]
    with capsys.disabled():
        print(f"\npage fuzz ({role}): {len(answers)} requests, {len(errors)} server errors")
    assert errors == []
    assert len(answers) >= 200
