"""The demo: five probation trusts' IAOW inspections and one YOT's CCI, from a fresh database."""

from __future__ import annotations

import datetime as dt
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import pendulum

from inspectorate.adapters import clock
from inspectorate.adapters.config_files import load_bodies
from inspectorate.adapters.registry import upsert_bodies
from inspectorate.adapters.settings import get_settings
from inspectorate.domain.date_rules import planning_years
from inspectorate.domain.errors import ConfigError
from inspectorate.domain.planning import plan_programme
from inspectorate.domain.reference import BodyRecord
from inspectorate.services import context, scheduling, setup

DEMO_START = pendulum.date(2013, 11, 25)
# The programme is shown at these dates: mid-announcements, mid-fieldwork, mid-publication, end.
DEMO_CHECKPOINTS = (
    pendulum.date(2014, 1, 31),
    pendulum.date(2014, 4, 30),
    pendulum.date(2014, 7, 31),
    pendulum.date(2014, 12, 31),
)

# Fieldwork Mondays chosen to show the calendar rules: Durham Tees Valley is the trust of
# seed 003; Wales is published in Welsh and English. Fieldwork weeks keep clear of bank
# holidays (domain/date_rules.py), so Easter shows in the later milestones instead: London's
# draft falls due on Easter Monday and rolls to the Tuesday, as do Wales's comments. Every
# trust's fieldwork ends before trusts were replaced on 31 May 2014 (config/bodies/README.md).
DEMO_INSPECTIONS = (
    ("Durham Tees Valley", "iaow", "2014-02-10"),
    ("Wales", "iaow", "2014-03-10"),
    ("London", "iaow", "2014-03-24"),
    ("Cumbria", "iaow", "2014-04-07"),
    ("Staffordshire and West Midlands", "iaow", "2014-04-28"),
    # A youth offending team whose findings are of concern, as North Lincolnshire's were in
    # its CCI (seed 004), so the demo shows a reinspection being planned. CCI ran 2009-12;
    # it is placed in 2014 here only to share the demo's timeline.
    ("North Lincolnshire", "cci", "2014-02-17"),
)


@dataclass(frozen=True)
class DemoSetup:
    """Where the demo keeps its record and its mail, and what it scheduled."""

    folder: Path
    database: Path
    outbox: Path
    inspection_ids: list[int]


def fresh_record(folder: Path) -> tuple[Path, Path]:
    """Point this process at a new record, outbox and reports folder in `folder`.

    Letters and reports are written as HTML unless INSPECTORATE_REPORT_FORMATS says otherwise
    (a PDF costs about a second each). Returns the record's and the outbox's paths.
    """
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    database, outbox = folder / "inspectorate.db", folder / "outbox"
    os.environ["INSPECTORATE_DATABASE_URL"] = f"sqlite:///{database.resolve()}"
    os.environ["INSPECTORATE_OUTBOX_DIR"] = str(outbox.resolve())
    os.environ["INSPECTORATE_REPORTS_DIR"] = str((folder / "reports").resolve())
    os.environ.setdefault("INSPECTORATE_REPORT_FORMATS", "html")
    os.environ.pop("INSPECTORATE_SMTP_HOST", None)
    get_settings.cache_clear()
    return database, outbox


def programme_start(code: str) -> pendulum.Date:
    """The first day of the programme's first planning year."""
    planning = context.programmes()[code].planning
    if planning is None or planning.first_year is None:
        raise ConfigError(f"config/programmes/{code}.toml needs [planning] first_year")
    month, day = (int(x) for x in planning.year_starts.split("-"))
    return pendulum.date(planning.first_year, month, day)


def programme_bodies(code: str) -> list[BodyRecord]:
    """The configured bodies of a programme that exist throughout one of its planning years."""
    definition = context.programmes()[code]
    kind = definition.body_kind
    bodies = [b for b in load_bodies(get_settings().config_dir / "bodies") if b.kind.value == kind]
    if definition.planning is None or definition.planning.first_year is None:
        return bodies
    years = planning_years(definition.planning, programme_start(code))
    return [b for b in bodies if any(b.exists_throughout(first, last) for _, first, last in years)]


def programme_share(code: str, part: int, parts: int) -> list[BodyRecord]:
    """The programme's bodies (programme_bodies), whole regions dealt out to `parts` shares."""
    bodies = programme_bodies(code)
    regions = sorted({b.region for b in bodies})
    mine = set(regions[part::parts])
    return [b for b in bodies if b.region in mine]


def prepare_simulation(
    code: str, folder: Path, start: dt.date, bodies: list[BodyRecord] | None = None
) -> DemoSetup:
    """A fresh record with every body of the programme planned and scheduled from `start`.

    `bodies` replaces the configured list (the benchmark adds synthetic ones). The planner
    leaves out a body in the years it does not exist; the rest pass the date rules.
    """
    database, outbox = fresh_record(folder)
    definition = context.programmes()[code]
    if definition.planning is None:
        raise ConfigError(f"config/programmes/{code}.toml has no [planning] table")
    manager_day = clock.morning_of(start, hour=9)
    setup.initialise(now=manager_day)
    if bodies is None:
        bodies = programme_bodies(code)
    else:
        context.run(upsert_bodies, bodies=bodies, now=manager_day)
    plan = plan_programme(definition, definition.planning, bodies, start)
    ids = [
        context.run(
            scheduling.schedule,
            body_name=p.body.name,
            programme_code=code,
            fieldwork_start=p.fieldwork_start,
            actor="planner",
            now=manager_day,
        )[0]
        for p in plan.placements
    ]
    return DemoSetup(folder, database, outbox, ids)


def prepare_demo(folder: Path) -> DemoSetup:
    """Start a fresh demo database and outbox in `folder` and schedule the inspections."""
    database, outbox = fresh_record(folder)
    programme_manager_day = clock.morning_of(DEMO_START, hour=9)
    setup.initialise(now=programme_manager_day)
    ids = [
        context.run(
            scheduling.schedule,
            body_name=body,
            programme_code=programme,
            fieldwork_start=pendulum.parse(start).date(),  # type: ignore[union-attr]
            actor="programme-manager",
            now=programme_manager_day,
        )[0]
        for body, programme, start in DEMO_INSPECTIONS
    ]
    return DemoSetup(folder, database, outbox, ids)
