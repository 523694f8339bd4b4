"""No traceback for anything a user can cause: the command-line corpus (issue 14, part 1).

Every case of tests/cli_corpus_cases.py runs the real entry point, `.venv/bin/inspectorate`,
as a subprocess (an in-process runner can hide what reaches standard error) in its own copy
of its state, and must exit with code 2, print at most three lines saying what is wrong and
how to put it right, show no traceback, and leave the record, the outbox, the reports and
the working folder exactly as they were.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path

import pytest

from tests.cli_corpus_cases import CASES, Case
from tests.cli_corpus_record import (
    PREFECT_HOME,
    RECORD,
    Ids,
    build_fresh,
    build_lifecycle,
    copy_state,
    environment,
    snapshot,
    write_files,
)
from tests.import_graph import ROOT

ENTRY_POINT = ROOT / ".venv" / "bin" / "inspectorate"
UNREACHABLE = "postgresql://inspectorate@127.0.0.1:9/record"  # the discard port: closed
BUSY_TIMEOUT = "0.5"  # seconds a locked record is waited for in the "locked" cases
WORKERS = 4


@dataclass(frozen=True)
class Outcome:
    """What one command did."""

    argv: list[str]
    code: int
    stdout: str
    stderr: str
    before: dict[str, str | None]
    after: dict[str, str | None]
    fill: dict[str, object]


def _environment(case: Case, folder: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("INSPECTORATE_")}
    url = UNREACHABLE if case.state == "unreachable" else None
    env.update(environment(folder, url))
    env["PREFECT_HOME"] = str(folder / PREFECT_HOME)
    env["INSPECTORATE_LOCAL_SERVER"] = "false"  # a temporary Prefect server: none left running
    if case.state == "locked":
        env["INSPECTORATE_DATABASE_BUSY_TIMEOUT"] = BUSY_TIMEOUT
    env.update(case.env)
    return env


def _run(
    case: Case, folder: Path, templates: dict[str, Path | None], fill: dict[str, object]
) -> Outcome:
    template = templates["lifecycle" if case.state == "locked" else case.state]
    copy_state(template, folder)
    argv = [part.format(**fill) for part in case.argv]
    before = snapshot(folder)
    lock = None
    if case.state == "locked":
        lock = sqlite3.connect(folder / RECORD, isolation_level=None)
        lock.execute("BEGIN EXCLUSIVE")
    try:
        done = subprocess.run(
            [str(ENTRY_POINT), *argv],
            cwd=folder,
            env=_environment(case, folder),
            input=case.stdin,
            capture_output=True,
            text=True,
            timeout=300,
        )
    finally:
        if lock is not None:
            lock.execute("ROLLBACK")
            lock.close()
    return Outcome(argv, done.returncode, done.stdout, done.stderr, before, snapshot(folder), fill)


@pytest.fixture(scope="module")
def outcomes(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Outcome]:
    """Run every selected case, several at once (each command starts a Python process)."""
    selected = {
        item.callspec.params["case"].name
        for item in request.session.items
        if getattr(item, "module", None) is request.module and hasattr(item, "callspec")
    }
    cases = [c for c in CASES if c.name in selected]
    base = tmp_path_factory.mktemp("corpus")
    files = base / "files"
    write_files(files)
    templates: dict[str, Path | None] = {"missing": None, "unreachable": None}
    needed = {c.state for c in cases}
    ids: Ids | None = None
    if "fresh" in needed:
        templates["fresh"] = base / "fresh"
        build_fresh(base / "fresh")
    if needed & {"lifecycle", "locked"}:
        templates["lifecycle"] = base / "lifecycle"
        ids = build_lifecycle(base / "lifecycle")
    fill: dict[str, object] = {"files": files, **(asdict(ids) if ids else {})}
    with ThreadPoolExecutor(WORKERS) as pool:
        futures = {
            c.name: pool.submit(_run, c, base / "cases" / c.name, templates, fill) for c in cases
        }
        return {name: future.result() for name, future in futures.items()}


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_refused_in_a_few_lines_without_a_traceback_and_nothing_written(
    case: Case, outcomes: dict[str, Outcome]
) -> None:
    outcome = outcomes[case.name]
    said = f"$ inspectorate {' '.join(outcome.argv)}\n{outcome.stdout}{outcome.stderr}"
    lines = [line for line in outcome.stderr.splitlines() if line.strip()]
    assert outcome.code == 2, said
    assert "Traceback" not in outcome.stderr, said
    assert 1 <= len(lines) <= 3, said
    words = " ".join(outcome.stderr.split())
    assert case.what.format(**outcome.fill) in words, said
    assert case.fix.format(**outcome.fill) in words, said
    assert outcome.after == outcome.before, said


def test_the_corpus_is_large_and_names_are_unique() -> None:
    assert len(CASES) >= 60
    assert len({c.name for c in CASES}) == len(CASES)
