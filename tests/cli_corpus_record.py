"""The records and files the command-line corpus runs against (tests/test_cli_corpus.py).

Built once, in-process through the services, then copied for every case so that each
command meets the same state and can be checked for having written nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import shutil
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from inspectorate.adapters.database import get_engine
from inspectorate.adapters.settings import get_settings
from inspectorate.domain import synthetic
from inspectorate.domain.lifecycle import Stage
from inspectorate.services import context, setup, stages
from tests.dashboard_record import build_board_record
from tests.factories import morning, record_synthetic_sample, schedule

RECORD = "record.db"
PREFECT_HOME = ".prefect"  # the temporary Prefect server's own database: not the record


@dataclass(frozen=True)
class Ids:
    """The inspections of the lifecycle record, one in each state the corpus needs."""

    published: int  # London, IAOW, fieldwork 2014-03-03
    draft: int  # Wales, draft sent
    scored: int  # Durham Tees Valley, scored, no team text
    announced: int  # Cumbria, fieldwork 2014-05-12
    planned: int  # Northumbria, fieldwork 2014-03-24
    sampled: int  # Kent, sample drawn, fieldwork 2014-03-31
    cancelled: int  # Essex


def environment(folder: Path, url: str | None = None) -> dict[str, str]:
    """The settings of a record kept in `folder` (the outbox and reports beside it)."""
    return {
        "INSPECTORATE_DATABASE_URL": url or f"sqlite:///{folder / RECORD}",
        "INSPECTORATE_OUTBOX_DIR": str(folder / "outbox"),
        "INSPECTORATE_REPORTS_DIR": str(folder / "reports"),
        "INSPECTORATE_REPORT_FORMATS": "html",
    }


@contextmanager
def settings_for(folder: Path) -> Iterator[None]:
    """Point this process's settings at the record in `folder` for the block."""
    with pytest.MonkeyPatch.context() as patch:
        for key, value in environment(folder).items():
            patch.setenv(key, value)
        get_settings.cache_clear()
        try:
            yield
        finally:
            get_engine(environment(folder)["INSPECTORATE_DATABASE_URL"]).dispose()
            get_settings.cache_clear()


def build_fresh(folder: Path) -> None:
    """An initialised record with no inspections."""
    with settings_for(folder):
        setup.initialise(now=morning("2013-01-01"))


def build_lifecycle(folder: Path) -> Ids:
    """An initialised record with an inspection in each state, accounts and documents."""
    with settings_for(folder):
        setup.initialise(now=morning("2013-01-01"))
        board = build_board_record()
        planned = schedule(body="Northumbria", fieldwork_start="2014-03-24")
        sampled = schedule(body="Kent", fieldwork_start="2014-03-31")
        cancelled = schedule(body="Essex", fieldwork_start="2014-04-07")
        for inspection_id, stage, day in (
            (sampled, Stage.ANNOUNCE, "2014-01-20"),
            (cancelled, Stage.CANCEL, "2013-12-02"),
        ):
            context.run(
                stages.apply_stage,
                inspection_id=inspection_id,
                stage=stage,
                actor="t",
                now=morning(day),
            )
        record_synthetic_sample(
            sampled, body="Kent", size=1500, fieldwork="2014-03-31", on="2014-02-24"
        )
    return Ids(
        published=board.published,
        draft=board.draft,
        scored=board.scored,
        announced=board.assigned,
        planned=planned,
        sampled=sampled,
        cancelled=cancelled,
    )


def write_files(folder: Path) -> None:
    """The data files the cases give the commands, good and bad."""
    folder.mkdir(parents=True, exist_ok=True)
    synthetic.caseload("London", 400, dt.date(2014, 2, 10), 1).to_csv(
        folder / "caseload.csv", index=False
    )
    # Cases that all started in 2002-2004: none is eligible for fieldwork in 2014 or 2027.
    synthetic.caseload("London", 400, dt.date(2004, 1, 5), 1).to_csv(
        folder / "old_caseload.csv", index=False
    )
    texts = {
        "empty.csv": "",
        "header_only.csv": "case_id,case_type,start_date,rosh,gender,ethnicity,age_band,"
        "principal_offence\n",
        "wrong_columns.csv": "name,age\nAda,36\n",
        "one_bad_judgement.csv": "case_id,question_id,judgement\nLOND-00001,1.1a,maybe\n",
        "comments.txt": "We accept the findings.\n",
        "empty.txt": "",
        "unknown_key.toml": 'colour = "red"\n',
        "malformed.toml": "foreword = \n",
        "not_json.json": "this is not json\n",
        "scores.csv": "body,published,headline\nLondon,2011-06-31,40\n",
        "plan.txt": "",
    }
    for name, text in texts.items():
        (folder / name).write_text(text, encoding="utf-8")
    (folder / "latin1.csv").write_bytes("case_id,note\n1,caf\xe9\n".encode("latin-1"))


def copy_state(template: Path | None, case: Path) -> None:
    """Give `case` its own copy of the template record (None: no record at all)."""
    case.mkdir(parents=True)
    if template is not None:
        shutil.copytree(template, case, dirs_exist_ok=True)


def record_digest(database: Path) -> str | None:
    """Every row of every table, hashed; None when there is no database file."""
    if not database.exists():
        return None
    digest = hashlib.sha256()
    connection = sqlite3.connect(database)
    try:
        tables = [
            name
            for (name,) in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
            )
        ]
        for table in tables:
            rows = connection.execute(f'SELECT * FROM "{table}"').fetchall()
            digest.update(f"{table}:{len(rows)}:{sorted(map(repr, rows))}".encode())
    finally:
        connection.close()
    return digest.hexdigest()


def snapshot(case: Path) -> dict[str, str | None]:
    """What a command could write: the record's rows and every other file in the folder."""
    shown: dict[str, str | None] = {RECORD: record_digest(case / RECORD)}
    for path in sorted(case.rglob("*")):
        relative = path.relative_to(case)
        if relative.parts[0] == PREFECT_HOME or relative.name.startswith(RECORD):
            continue
        shown[str(relative)] = (
            hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else "folder"
        )
    return shown
