"""Killing the sweep anywhere loses nothing and repeats nothing (the outbox of stage effects).

Each trial restores the same record, runs two mornings' sweeps in a child process that kills
itself (SIGKILL, no clean-up) just before its k-th SQL statement, then runs the same mornings
again as a restarted scheduler would, and checks: every announced inspection has its letter,
the published one its public reports and distribution, and no document, distribution, stage
or mail exists twice. k is spread over every statement of an uninterrupted run.

The sweep here is `rehearsal.direct_morning`, which follows the deadline-sweep flow step by
step without Prefect (a Prefect run per trial would make the test take many minutes).
"""

from __future__ import annotations

import os
import shutil
import signal
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import Engine, event
from sqlmodel import Session, select

from inspectorate.adapters.database import get_engine
from inspectorate.adapters.models import AuditEvent, Distribution, Inspection, ReportVersion
from inspectorate.adapters.settings import get_settings
from inspectorate.domain.documents import DocumentKind
from inspectorate.domain.lifecycle import Stage, Status
from inspectorate.services import context, rehearsal, setup, stages
from tests.conftest import PG_ADMIN
from tests.factories import morning, schedule, scored, signed_off

TRIALS = 50
DAYS = ("2014-05-23", "2014-05-30")
YOTS = (("Havering", "2014-08-04"), ("Merton", "2014-08-04"))
YOTS_LATER = (("Hounslow", "2014-08-11"), ("Islington", "2014-08-11"))


def _build_record() -> int:
    """Two mornings' work: four YOT announcements; one IAOW draft owed and its publication."""
    setup.initialise(now=morning("2013-01-01"))
    published = scored("Wales")
    signed_off(published, "draft", on="2014-03-31")
    context.run(
        stages.apply_stage,
        inspection_id=published,
        stage=Stage.SEND_DRAFT,
        actor="lead",
        now=morning("2014-04-04"),
    )
    signed_off(published, "publication", on="2014-04-25")
    for body, start in (*YOTS, *YOTS_LATER):
        schedule(body=body, programme="cci", fieldwork_start=start, on="2014-05-01")
    return published


def _sweep_days() -> None:
    for day in DAYS:
        rehearsal.direct_morning(morning(day).date(), morning(day))


def _in_child(run: Callable[[], None], kill_at: int | None, count_file: Path | None = None) -> int:
    """Run `run` in a forked process, killed before statement `kill_at`; its exit status."""
    context.engine().dispose()
    pid = os.fork()
    if pid == 0:  # the child: never returns
        code = 0
        try:
            seen = 0

            def count(*_args: object) -> None:
                nonlocal seen
                seen += 1
                if kill_at is not None and seen == kill_at:
                    os.kill(os.getpid(), signal.SIGKILL)

            event.listen(Engine, "before_cursor_execute", count)
            run()
            if count_file is not None:
                count_file.write_text(str(seen))
        except BaseException:  # noqa: BLE001 - report any failure through the exit status
            code = 1
        finally:
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    return status


class Record:
    """Restores the prepared record (database, documents, outbox) before each trial."""

    def __init__(self, backend: str, folder: Path) -> None:
        self.backend, self.folder = backend, folder
        settings = get_settings()
        self.files = (settings.reports_dir, settings.outbox_dir)
        self.url = settings.database_url

    def keep(self) -> None:
        """Keep the current state as the template."""
        context.engine().dispose()
        if self.backend == "sqlite":
            shutil.copy(self.url.removeprefix("sqlite:///"), self.folder / "template.db")
        else:
            _admin(f'CREATE DATABASE "{self.template}" TEMPLATE "{self.name}"')
        for source in self.files:
            if source.exists():
                shutil.copytree(source, self.folder / ("kept-" + source.name))

    def restore(self) -> None:
        """Put the template back."""
        context.engine().dispose()
        if self.backend == "sqlite":
            shutil.copy(self.folder / "template.db", self.url.removeprefix("sqlite:///"))
        else:
            _admin(f'DROP DATABASE "{self.name}" WITH (FORCE)')
            _admin(f'CREATE DATABASE "{self.name}" TEMPLATE "{self.template}"')
        for target in self.files:
            shutil.rmtree(target, ignore_errors=True)
            kept = self.folder / ("kept-" + target.name)
            if kept.exists():
                shutil.copytree(kept, target)

    @property
    def name(self) -> str:
        """The trial database's name (PostgreSQL)."""
        return self.url.rsplit("/", 1)[1]

    @property
    def template(self) -> str:
        """The template database's name (PostgreSQL)."""
        return self.name + "_tmpl"


def _admin(sql: str) -> None:
    with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
        admin.execute(sql)


@pytest.fixture
def record(backend: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Record]:
    """A record of its own on `backend`, kept as a template, dropped afterwards."""
    if backend == "postgresql":
        name = f"inspectorate_crash_{uuid.uuid4().hex[:10]}"
        _admin(f'CREATE DATABASE "{name}"')
        monkeypatch.setenv(
            "INSPECTORATE_DATABASE_URL", f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
        )
        get_settings.cache_clear()
    kept = Record(backend, tmp_path)
    try:
        yield kept
    finally:
        get_engine(kept.url).dispose()
        if backend == "postgresql":
            _admin(f'DROP DATABASE IF EXISTS "{kept.name}" WITH (FORCE)')
            _admin(f'DROP DATABASE IF EXISTS "{kept.template}" WITH (FORCE)')


def _problems(published: int) -> tuple[list[str], list[str]]:
    """(what is missing, what exists twice) in the record and the outbox."""
    missing: list[str] = []
    twice: list[str] = []
    with Session(context.engine()) as session:
        inspections = session.exec(select(Inspection)).all()
        versions = session.exec(select(ReportVersion)).all()
        kinds = Counter((v.inspection_id, v.kind, v.lang, v.format) for v in versions)
        twice += [f"document {k}" for k, n in kinds.items() if n > 1]
        for inspection in inspections:
            has = {(v.kind, v.public) for v in versions if v.inspection_id == inspection.id}
            if (
                inspection.status != Status.PLANNED
                and (DocumentKind.ANNOUNCEMENT, False) not in has
            ):
                missing.append(f"letter of inspection {inspection.id} ({inspection.status})")
        inspection = session.get(Inspection, published)
        assert inspection is not None
        if inspection.status != Status.PUBLISHED:
            missing.append(f"publication of inspection {published} ({inspection.status})")
        public = {(v.kind, v.lang) for v in versions if v.inspection_id == published and v.public}
        for lang in ("en", "cy"):
            if (DocumentKind.PUBLISHED, lang) not in public:
                missing.append(f"public report ({lang}) of inspection {published}")
        recipients = session.exec(
            select(Distribution.recipient).where(Distribution.inspection_id == published)
        ).all()
        if len(recipients) < 2:
            missing.append(f"distribution of inspection {published} ({len(recipients)} rows)")
        twice += [f"distribution to {r}" for r, n in Counter(recipients).items() if n > 1]
        audit = session.exec(select(AuditEvent)).all()
        steps = Counter(
            (e.inspection_id, e.action)
            for e in audit
            if e.entity == "inspection" and e.action in {*Stage, "report_distributed"}
        )
        twice += [f"step {k}" for k, n in steps.items() if n > 1]
        sent = Counter(e.entity_id for e in audit if e.entity == "reminder" and e.action == "sent")
        twice += [f"mail for reminder {r}" for r, n in sent.items() if n > 1]
    return missing, twice


def test_a_sweep_killed_anywhere_is_finished_by_the_next_and_nothing_happens_twice(
    record: Record, tmp_path: Path
) -> None:
    published = _build_record()
    record.keep()
    counted = tmp_path / "statements"
    assert _in_child(_sweep_days, None, counted) == 0
    clean_missing, clean_twice = _problems(published)
    assert (clean_missing, clean_twice) == ([], []), "an uninterrupted run must be complete"
    statements = int(counted.read_text())
    points = sorted({1 + (i * (statements - 1)) // (TRIALS - 1) for i in range(TRIALS)})
    lost: list[str] = []
    duplicated: list[str] = []
    killed = 0
    for kill_at in points:
        record.restore()
        status = _in_child(_sweep_days, kill_at)
        killed += os.WIFSIGNALED(status)
        assert _in_child(_sweep_days, None) == 0, f"the sweep after a kill at {kill_at} failed"
        missing, twice = _problems(published)
        lost += [f"k={kill_at}: {m}" for m in missing]
        duplicated += [f"k={kill_at}: {t}" for t in twice]
    print(
        f"\ncrash test ({record.backend}): {len(points)} trials over {statements} statements, "
        f"{killed} killed mid-run, lost {len(lost)}, duplicated {len(duplicated)}"
    )
    assert len(points) >= TRIALS
    assert killed >= TRIALS - 1
    assert lost == []
    assert duplicated == []
