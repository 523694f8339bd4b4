"""Shared fixtures: an isolated settings environment per test, databases, clocks, Prefect."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pendulum
import psycopg
import pytest
from sqlalchemy import text

# Prefect must be offline and quiet before anything imports it: importing `tasks` sets that.
import tasks  # noqa: F401, I001
from inspectorate.adapters import clock
from inspectorate.adapters.database import get_engine
from inspectorate.adapters.settings import get_settings
from inspectorate.services import setup

PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"

# No test leaves a Prefect server behind: the suite runs flows on the session's test server
# or a temporary one, not the shared local server (tests/test_local_server.py asks for it
# and stops it). Set for the whole process so module and session fixtures have it too.
os.environ["INSPECTORATE_LOCAL_SERVER"] = "false"
os.environ["INSPECTORATE_WARM_RUNNER"] = "false"  # tests/test_warm_runner.py turns it on


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--backend",
        action="append",
        default=None,
        help="Database backends for the record (sqlite, postgresql); default both.",
    )


# The longest test files (servers, subprocesses, whole walkthroughs) start first: with the
# suite split over processes a file at a time (Makefile), they then overlap the many short
# ones instead of running side by side at the end.
LONGEST_FIRST = (
    "test_server_mode.py",
    "test_server_faults.py",
    "test_readme.py",
    "test_cli_corpus.py",
    "test_crash_recovery.py",
    "test_local_server.py",
    "test_warm_runner.py",
    "test_api_fuzz.py",
    "test_due_work.py",
    "test_accessibility.py",
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    rank = {name: n for n, name in enumerate(LONGEST_FIRST)}
    items.sort(key=lambda item: rank.get(item.path.name, len(rank)))


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "backend" in metafunc.fixturenames:
        backends = metafunc.config.getoption("backend") or ["sqlite", "postgresql"]
        metafunc.parametrize("backend", backends)


@pytest.fixture(scope="session")
def postgres_database() -> Iterator[str]:
    """Create a throw-away PostgreSQL database for this test run and drop it afterwards."""
    name = f"inspectorate_test_{uuid.uuid4().hex[:10]}"
    try:
        admin = psycopg.connect(PG_ADMIN, autocommit=True)
    except psycopg.OperationalError as exc:
        pytest.fail(f"PostgreSQL is required on 127.0.0.1:5432 (see .ci/run): {exc}")
    admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
    finally:
        get_engine(f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}").dispose()
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


@pytest.fixture(autouse=True)
def isolated_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Give every test its own SQLite database and outbox, and the real clock back after."""
    url = f"sqlite:///{tmp_path / 'record.db'}"
    monkeypatch.setenv("INSPECTORATE_DATABASE_URL", url)
    monkeypatch.setenv("INSPECTORATE_OUTBOX_DIR", str(tmp_path / "outbox"))
    monkeypatch.setenv("INSPECTORATE_REPORTS_DIR", str(tmp_path / "reports"))
    monkeypatch.setenv("INSPECTORATE_REPORT_FORMATS", "html")  # PDF is tested where it matters
    monkeypatch.delenv("INSPECTORATE_SMTP_HOST", raising=False)
    monkeypatch.setenv("INSPECTORATE_LOCAL_SERVER", "false")  # see the top of this file
    get_settings.cache_clear()
    yield tmp_path
    clock.set_clock(clock.SystemClock())
    get_settings.cache_clear()
    get_engine(url).dispose()


@pytest.fixture
def database(backend: str, postgres_database: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """An initialised, empty record on `backend` (SQLite file or PostgreSQL)."""
    if backend == "postgresql":
        url = postgres_database
        monkeypatch.setenv("INSPECTORATE_DATABASE_URL", url)
        get_settings.cache_clear()
        setup.initialise(now=pendulum.datetime(2013, 1, 1, tz=clock.LONDON))
        with get_engine(url).begin() as connection:
            connection.execute(
                text(
                    "TRUNCATE auditevent, reminder, milestone, inspection RESTART IDENTITY CASCADE"
                )
            )
    else:
        setup.initialise(now=pendulum.datetime(2013, 1, 1, tz=clock.LONDON))
    return get_settings().database_url


@pytest.fixture
def sqlite_database() -> str:
    """An initialised, empty record on a SQLite file."""
    setup.initialise(now=pendulum.datetime(2013, 1, 1, tz=clock.LONDON))
    return get_settings().database_url


@pytest.fixture
def virtual_clock() -> Iterator[clock.VirtualClock]:
    """A virtual clock at 09:00 on Monday 25 November 2013, in use for the test."""
    virtual = clock.VirtualClock(pendulum.datetime(2013, 11, 25, 9, tz=clock.LONDON))
    with clock.use_clock(virtual):
        yield virtual


@pytest.fixture(scope="session")
def prefect_server() -> Iterator[None]:
    """One Prefect test server for the whole session, with the embedded runtime settings."""
    from prefect.testing.utilities import prefect_test_harness

    from tasks.runtime import embedded_runtime

    with prefect_test_harness(server_startup_timeout=90), embedded_runtime():
        yield
