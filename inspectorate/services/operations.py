"""What the CLI, the Prefect tasks and the demo call: one function per operation.

Each takes plain values (ids, dates, times), opens its own transaction on the configured
database and returns plain values, so a Prefect task can wrap it without knowing the domain.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pendulum
from sqlalchemy import Engine
from sqlmodel import Session

from inspectorate.adapters import clock
from inspectorate.adapters.database import get_engine, session_scope, upgrade_to_head
from inspectorate.adapters.models import Programme
from inspectorate.adapters.notify import Mailer, mailer_from_settings
from inspectorate.adapters.registry import find_body, upsert_bodies, upsert_programmes
from inspectorate.adapters.repository import get_inspection, schedule_inspection
from inspectorate.adapters.settings import Settings, get_settings
from inspectorate.domain.calendar import as_date
from inspectorate.domain.frameworks import Framework, load_frameworks
from inspectorate.domain.lifecycle import (
    Stage,
    Status,
    next_status,
    status_after,
    status_before,
)
from inspectorate.domain.programmes import ProgrammeDefinition, find_programme, load_programmes
from inspectorate.domain.reference import load_bodies
from inspectorate.domain.triggers import TriggerRule
from inspectorate.services.follow_ups import rules_for
from inspectorate.services.rescheduling import reschedule as move_fieldwork
from inspectorate.services.stages import StageOutcome, perform_stage
from inspectorate.services.sweep import (
    SweepReport,
    advance_due_milestones,
    claim_due_reminders,
    deliver_pending_reminders,
    next_wakeup,
)


@lru_cache(maxsize=4)
def _programmes_in(directory: Path) -> dict[str, ProgrammeDefinition]:
    return load_programmes(directory)


def programmes(settings: Settings | None = None) -> dict[str, ProgrammeDefinition]:
    """Return the programme definitions from config/programmes (read once per process)."""
    settings = settings or get_settings()
    return _programmes_in(settings.config_dir / "programmes")


@lru_cache(maxsize=4)
def _frameworks_in(directory: Path) -> dict[str, Framework]:
    return load_frameworks(directory)


def frameworks(settings: Settings | None = None) -> dict[str, Framework]:
    """Return the criteria frameworks from config/frameworks (read once per process)."""
    settings = settings or get_settings()
    return _frameworks_in(settings.config_dir / "frameworks")


def follow_up_rules(settings: Settings | None = None) -> dict[str, list[TriggerRule]]:
    """Return each programme's trigger rules (empty for a programme without any)."""
    settings = settings or get_settings()
    known = frameworks(settings)
    return {
        code: rules_for(settings.config_dir, p, known) for code, p in programmes(settings).items()
    }


def engine(settings: Settings | None = None) -> Engine:
    """Return the engine of the configured database."""
    return get_engine((settings or get_settings()).database_url)


def moment(value: dt.datetime | None) -> pendulum.DateTime:
    """Return `value` as a London DateTime, or the clock's now when None."""
    if value is None:
        return clock.now()
    return pendulum.instance(value).in_timezone(clock.LONDON)


def day(value: dt.date | None) -> pendulum.Date:
    """Return `value` as a pendulum Date, or today in London when None."""
    return clock.today() if value is None else as_date(value)


@dataclass(frozen=True)
class InitReport:
    """What `inspectorate init` did."""

    database_url: str
    bodies_changed: int
    programmes_changed: int


def initialise(now: dt.datetime | None = None, settings: Settings | None = None) -> InitReport:
    """Upgrade the schema to head and load bodies and programmes from config (idempotent)."""
    settings = settings or get_settings()
    definitions = programmes(settings)
    bodies = load_bodies(settings.config_dir / "bodies")
    upgrade_to_head(settings.database_url)
    at = moment(now)
    with session_scope(engine(settings)) as session:
        changed_bodies = upsert_bodies(session, bodies=bodies, now=at)
        changed_programmes = upsert_programmes(session, programmes=definitions.values(), now=at)
    return InitReport(settings.database_url, changed_bodies, changed_programmes)


def schedule(
    *,
    body_name: str,
    programme_code: str,
    fieldwork_start: dt.date,
    actor: str,
    now: dt.datetime | None = None,
) -> tuple[int, bool]:
    """Schedule an inspection; return (inspection id, created)."""
    settings = get_settings()
    programme = find_programme(programmes(settings), programme_code)
    with session_scope(engine(settings)) as session:
        body = find_body(session, name=body_name, kind=programme.body_kind)
        inspection, created = schedule_inspection(
            session,
            programme=programme,
            body=body,
            fieldwork_start=day(fieldwork_start),
            now=moment(now),
            actor=actor,
        )
        assert inspection.id is not None
        return inspection.id, created


def apply_stage(
    *,
    inspection_id: int,
    stage: Stage,
    actor: str,
    why: str = "",
    now: dt.datetime | None = None,
    if_ready: bool = False,
) -> StageOutcome:
    """Apply one lifecycle stage to an inspection inside one transaction.

    With `if_ready` (a booked timer), an inspection not standing just before the stage is
    left as it is instead of refused: the sweep or a person has done it, or it is not due.
    """
    settings = get_settings()
    with session_scope(engine(settings)) as session:
        inspection = get_inspection(session, inspection_id=inspection_id)
        if if_ready and inspection.status != status_before(stage).value:
            return StageOutcome(inspection_id, stage, inspection.status, inspection.status, False)
        programme_row = session.get(Programme, inspection.programme_id)
        assert programme_row is not None
        return perform_stage(
            session,
            programme=programmes(settings)[programme_row.code],
            inspection_id=inspection_id,
            stage=stage,
            now=moment(now),
            actor=actor,
            settings=settings,
            why=why,
            follow_up_rules=follow_up_rules(settings)[programme_row.code],
            all_programmes=programmes(settings),
        )


def sweep_advance(*, as_of: dt.date, now: dt.datetime | None = None) -> SweepReport:
    """Perform the automatic milestones due on or before `as_of`."""
    settings = get_settings()
    return advance_due_milestones(
        engine(settings),
        as_of=day(as_of),
        now=moment(now),
        programmes=programmes(settings),
        settings=settings,
        follow_up_rules=follow_up_rules(settings),
    )


def sweep_claim(*, as_of: dt.date, now: dt.datetime | None = None) -> int:
    """Claim the reminders and escalations owed on `as_of`."""
    settings = get_settings()
    return claim_due_reminders(
        engine(settings),
        as_of=day(as_of),
        now=moment(now),
        programmes=programmes(settings),
        settings=settings,
    )


def sweep_deliver(*, now: dt.datetime | None = None, mailer: Mailer | None = None) -> int:
    """Deliver every claimed, unsent reminder through the configured mailer."""
    settings = get_settings()
    return deliver_pending_reminders(
        engine(settings),
        mailer=mailer or mailer_from_settings(settings),
        now=moment(now),
        programmes=programmes(settings),
        settings=settings,
    )


def sweep_day(*, as_of: dt.date, now: dt.datetime | None = None) -> SweepReport:
    """Run a whole morning's sweep: advance, write the stages' documents, remind, deliver."""
    from inspectorate.services import documents  # documents builds on operations

    report = sweep_advance(as_of=as_of, now=now)
    for inspection_id, stage in report.staged:
        documents.write_stage_documents(
            inspection_id=inspection_id, stage=Stage(stage), now=moment(now), actor="deadline-sweep"
        )
    report.claimed = sweep_claim(as_of=as_of, now=now)
    report.delivered = sweep_deliver(now=now)
    return report


def sweep_next_wakeup(*, after: dt.date) -> dt.date | None:
    """Return the next day on which the sweep has work."""
    settings = get_settings()
    return next_wakeup(engine(settings), after=day(after), programmes=programmes(settings))


def reschedule(
    *,
    inspection_id: int,
    fieldwork_start: dt.date,
    why: str,
    actor: str,
    now: dt.datetime | None = None,
) -> tuple[dt.date, dt.date]:
    """Move an inspection's fieldwork and re-plan its open milestones (one transaction)."""
    settings = get_settings()
    with session_scope(engine(settings)) as session:
        return move_fieldwork(
            session,
            inspection_id=inspection_id,
            fieldwork_start=fieldwork_start,
            programmes=programmes(settings),
            now=moment(now),
            actor=actor,
            why=why,
        )


def check_stage(*, inspection_id: int, stage: Stage) -> None:
    """Raise InvalidTransition now if `stage` cannot apply (so bad input starts no flow)."""
    with Session(engine()) as session:
        status = Status(get_inspection(session, inspection_id=inspection_id).status)
    if stage is not Stage.CANCEL and status is status_after(stage):
        return
    next_status(status, stage)
