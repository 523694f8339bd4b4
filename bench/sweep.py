"""Benchmark: the deadline sweep at 1,000, 10,000 and 30,000 active inspections.

Each size is a CCI record built in bulk (rows written straight into the tables, not through
thousands of scheduling calls) on its own temporary SQLite file and its own PostgreSQL
database (created here and dropped afterwards):

- the near term, identical at every size: two inspections a week (about a hundred a year)
  with fieldwork from 26 weeks before the morning to 25 weeks after it, every step due
  before the morning done on time, except that in one in four the team is late with the
  scoring and in another one in four the draft waits for the lead inspector's sign-off, for
  up to three weeks (escalations, blocked steps and held reminders);
- the rest of the active inspections planned further ahead (announced more than 60 days
  later), spread over about ten years;
- as many closed inspections as active ones: every milestone done, reminders sent, the
  effects of their stages done — the history a record accumulates.

So the day's work is the same at every size and only the record grows: the sweep's cost
should follow the work. The daily sweep (`rehearsal.direct_morning`, the flow's body without
Prefect) runs every morning of the two weeks before Monday 9 June 2014 (untimed), then:
- steady morning: Monday 9 June (announcements, fieldwork starting, lead reminders,
  escalations, a held draft; documents written and mail delivered to the outbox), the
  median of three runs, each on the record as it was before the first (a copy);
- empty morning: Saturday 14 June, after the sweeps of Tuesday to Friday (median of three);
- next wakeup: the next day with work after that Saturday (median of three);
- scheduling: one new inspection through the scheduling service (median of five).
Prints the figures per backend and size, and the ratio of 30,000 to 1,000.

Goal (issue 17): the steady morning under 1 s at 30,000 active inspections, ratio <= 3.
Sizes and backends: BENCH_SIZES=1000,10000,30000 BENCH_BACKENDS=sqlite,postgresql.
"""

from __future__ import annotations

import datetime as dt
import math
import os
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import pendulum  # noqa: E402
import psycopg  # noqa: E402
from sqlalchemy import Table, text  # noqa: E402

from inspectorate.adapters import clock  # noqa: E402
from inspectorate.adapters.database import get_engine  # noqa: E402
from inspectorate.adapters.models import (  # noqa: E402
    Body,
    Inspection,
    Milestone,
    OwedEffect,
    Reminder,
)
from inspectorate.adapters.settings import get_settings  # noqa: E402
from inspectorate.domain.lifecycle import FINAL_STATUSES, Status, status_after  # noqa: E402
from inspectorate.domain.milestones import plan_milestones  # noqa: E402
from inspectorate.domain.programmes import ProgrammeDefinition  # noqa: E402
from inspectorate.domain.stage_effects import effects_of  # noqa: E402
from inspectorate.services import context, rehearsal, scheduling, setup, sweep  # noqa: E402
from inspectorate.services.sweep import SweepReport  # noqa: E402

SIZES = [int(n) for n in os.environ.get("BENCH_SIZES", "1000,10000,30000").split(",")]
BACKENDS = os.environ.get("BENCH_BACKENDS", "sqlite,postgresql").split(",")
PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
MORNING = pendulum.date(2014, 6, 9)  # a Monday
EMPTY = pendulum.date(2014, 6, 14)  # the Saturday after it
NEAR_PER_WEEK, NEAR_WEEKS = 2, range(-26, 26)  # about a hundred inspections a year
LATE_DAYS = 21  # how late a team or a signer is at most: then they act
FAR_WEEKS = 520  # the rest of the active inspections: ten years from 26 weeks ahead
REGIONS = ("London", "South East", "North West", "North East", "West Midlands", "South West")
LONDON = ZoneInfo("Europe/London")
LATE = dt.timedelta(days=LATE_DAYS)
WORK: dict[int, str] = {}  # what the steady morning did, per size
STEADY_RUNS = 3  # the steady morning is timed this many times on the same record (median)


def at_six(day: pendulum.Date) -> pendulum.DateTime:
    """06:00 London on `day`: when the sweep runs."""
    return clock.morning_of(day, 6)


class Rows:
    """The rows of one record, with the ids they will have."""

    def __init__(self, first_ids: dict[str, int]) -> None:
        self.next_id = dict(first_ids)
        self.tables: dict[str, list[dict[str, Any]]] = {
            name: [] for name in ("body", "inspection", "milestone", "reminder", "owedeffect")
        }

    def add(self, table: str, **values: Any) -> int:
        """Add one row; return its id."""
        self.next_id[table] += 1
        values["id"] = self.next_id[table]
        self.tables[table].append(values)
        return values["id"]


@dataclass(frozen=True)
class Template:
    """The rows of any inspection with fieldwork from one Monday (and the same step late)."""

    milestones: list[tuple[str, dt.date, dt.datetime | None, dt.date | None, str]]
    status: Status
    effects: list[tuple[str, str, dt.datetime]]


_TEMPLATES: dict[tuple[pendulum.Date, str | None, pendulum.Date], Template] = {}


def _stamp(day: dt.date) -> dt.datetime:
    """06:00 London on `day`, in UTC, as stored."""
    return dt.datetime.combine(day, dt.time(6), tzinfo=LONDON).astimezone(dt.UTC)


def template(
    programme: ProgrammeDefinition, monday: pendulum.Date, late: str | None, cutoff: pendulum.Date
) -> Template:
    """Every milestone due before `cutoff` done, except from the `late` one if it fell due in
    the last LATE_DAYS (earlier than that, the people concerned have acted since)."""
    key = (monday, late, cutoff)
    if key in _TEMPLATES:
        return _TEMPLATES[key]
    status, milestones, effects, held_up = Status.PLANNED, [], [], False
    history = cutoff.subtract(weeks=30)
    for milestone in plan_milestones(programme, monday):
        due = dt.date(milestone.due.year, milestone.due.month, milestone.due.day)
        held_up = held_up or (milestone.kind == late and due >= cutoff - LATE)
        done = due < cutoff and not held_up
        done_at = _stamp(due) if done else None
        # The history's reminders, long sent: one per milestone that has any.
        reminded = (
            due - dt.timedelta(days=1) if done and milestone.rule.remind and due < history else None
        )
        recipients = ", ".join(r.value for r in milestone.rule.remind)
        milestones.append((milestone.kind, due, done_at, reminded, recipients))
        if done and milestone.rule.stage is not None:
            status = status_after(milestone.rule.stage)
            for effect in effects_of(milestone.rule.stage, server_mode=False):
                assert done_at is not None
                effects.append((milestone.rule.stage.value, effect.value, done_at))
    _TEMPLATES[key] = Template(milestones, status, effects)
    return _TEMPLATES[key]


def plan_rows(
    rows: Rows,
    programme: ProgrammeDefinition,
    programme_id: int,
    body_id: int,
    monday: pendulum.Date,
    late: str | None = None,
    cutoff: pendulum.Date = MORNING,
) -> bool:
    """One inspection's rows, done up to `cutoff`; True if it is active."""
    plan = template(programme, monday, late, cutoff)
    stamp = _stamp(cutoff)
    inspection_id = rows.add(
        "inspection",
        programme_id=programme_id,
        body_id=body_id,
        kind="inspection",
        status=plan.status.value,
        fieldwork_start=monday,
        created_at=stamp,
        updated_at=stamp,
    )
    for kind, due, done_at, reminded, recipients in plan.milestones:
        milestone_id = rows.add(
            "milestone", inspection_id=inspection_id, kind=kind, due_on=due, done_at=done_at
        )
        if reminded is not None:
            rows.add(
                "reminder",
                milestone_id=milestone_id,
                kind="lead_1",
                remind_on=reminded,
                milestone_due_on=due,
                recipients=recipients,
                created_at=done_at,
                sent_at=done_at,
            )
    for stage, effect, done_at in plan.effects:
        rows.add(
            "owedeffect",
            inspection_id=inspection_id,
            stage=stage,
            effect=effect,
            owed_at=done_at,
            done_at=done_at,
            attempts=0,
        )
    return plan.status is not Status.ACTION_PLAN_RECEIVED


def build_rows(size: int, programme: ProgrammeDefinition, programme_id: int, ids: dict) -> Rows:
    """The near term, the far future up to `size` active inspections, and as many closed."""
    rows = Rows(ids)
    body_ids = [
        rows.add(
            "body", name=f"Bench YOT {n:05d}", kind="yot", region=REGIONS[n % 6], in_wales=False
        )
        for n in range(size)
    ]
    active, n = 0, 0
    for week in NEAR_WEEKS:
        for _ in range(NEAR_PER_WEEK):
            late = {1: "scoring", 3: "draft_to_body"}.get(n % 4)
            monday = MORNING.add(weeks=week)
            active += plan_rows(rows, programme, programme_id, body_ids[n % size], monday, late)
            n += 1
    far = size - active
    per_week = max(1, math.ceil(far / FAR_WEEKS))
    for k in range(far):  # planned, announced more than 60 days after the morning
        monday = MORNING.add(weeks=26 + k // per_week)
        plan_rows(rows, programme, programme_id, body_ids[(n + k) % size], monday)
    for k in range(size):  # closed: fieldwork 30 weeks to about ten years before
        monday = MORNING.subtract(weeks=30 + k // per_week)
        plan_rows(rows, programme, programme_id, body_ids[k % size], monday)
    return rows


def build_dense_rows(
    size: int, programme: ProgrammeDefinition, programme_id: int, ids: dict
) -> Rows:
    """Every active inspection in flight (fieldwork from 26 weeks before EMPTY to 11 weeks
    after, the same number each week), done up to EMPTY; as many closed ones before."""
    rows = Rows(ids)
    body_ids = [
        rows.add(
            "body", name=f"Bench YOT {n:05d}", kind="yot", region=REGIONS[n % 6], in_wales=False
        )
        for n in range(size)
    ]
    first = EMPTY.start_of("week").subtract(weeks=26)
    per_week = math.ceil(size / 38)
    active, n = 0, 0
    while active < size:
        late = {1: "scoring", 3: "draft_to_body"}.get(n % 4)
        monday = first.add(weeks=n // per_week)
        active += plan_rows(rows, programme, programme_id, body_ids[n % size], monday, late, EMPTY)
        n += 1
    for k in range(size):
        monday = first.subtract(weeks=4 + k // per_week)
        plan_rows(rows, programme, programme_id, body_ids[k % size], monday, None, EMPTY)
    return rows


TABLES: dict[str, Table] = {
    "body": Body.__table__,  # type: ignore[attr-defined]
    "inspection": Inspection.__table__,  # type: ignore[attr-defined]
    "milestone": Milestone.__table__,  # type: ignore[attr-defined]
    "reminder": Reminder.__table__,  # type: ignore[attr-defined]
    "owedeffect": OwedEffect.__table__,  # type: ignore[attr-defined]
}


def load(url: str, rows: Rows) -> None:
    """Write every row in bulk: COPY on PostgreSQL, executemany on SQLite."""
    engine = get_engine(url)
    if engine.dialect.name == "postgresql":
        with psycopg.connect(url.replace("postgresql+psycopg", "postgresql")) as connection:
            for name, table_rows in rows.tables.items():
                columns = [c.name for c in TABLES[name].columns if c.name in table_rows[0]]
                quoted = ", ".join(f'"{c}"' for c in columns)
                with connection.cursor().copy(f'COPY "{name}" ({quoted}) FROM STDIN') as copy:
                    for row in table_rows:
                        copy.write_row([row.get(c) for c in columns])
                connection.execute(
                    f"SELECT setval(pg_get_serial_sequence('\"{name}\"', 'id'), "
                    f'(SELECT max(id) FROM "{name}"))'
                )
            connection.execute("ANALYZE")  # as autovacuum would, on a record this size
        return
    with engine.begin() as connection:
        for name, table_rows in rows.tables.items():
            connection.execute(TABLES[name].insert(), table_rows)


def first_ids(url: str) -> tuple[dict[str, int], int]:
    """The highest id of each table (bodies from config exist), and CCI's programme id."""
    with get_engine(url).connect() as connection:
        ids = {
            name: connection.execute(text(f'SELECT coalesce(max(id), 0) FROM "{name}"')).scalar()
            for name in TABLES
        }
        programme_id = connection.execute(
            text("SELECT id FROM programme WHERE code = 'cci'")
        ).scalar()
    assert programme_id is not None
    return ids, programme_id  # type: ignore[return-value]


def active_inspections(url: str) -> int:
    """How many inspections are neither closed nor cancelled."""
    final = ", ".join(f"'{s.value}'" for s in FINAL_STATUSES)
    with get_engine(url).connect() as connection:
        query = f"SELECT count(*) FROM inspection WHERE status NOT IN ({final})"
        return int(connection.execute(text(query)).scalar() or 0)


class Snapshot:
    """A copy of the record (SQLite file or PostgreSQL template database) to go back to."""

    def __init__(self, url: str, folder: Path) -> None:
        self.url, self.folder = url, folder
        self.sqlite = url.startswith("sqlite")
        self.name = url.rsplit("/", 1)[1]

    def __enter__(self) -> Snapshot:
        self._quiesce()
        if self.sqlite:
            shutil.copy(self.url.removeprefix("sqlite:///"), self.folder / "snapshot.db")
        else:
            _admin(f'CREATE DATABASE "{self.name}_snap" TEMPLATE "{self.name}"')
        return self

    def restore(self) -> None:
        """Put the record back as it was when the snapshot was taken."""
        self._quiesce()
        if self.sqlite:
            shutil.copy(self.folder / "snapshot.db", self.url.removeprefix("sqlite:///"))
        else:
            _admin(f'DROP DATABASE "{self.name}" WITH (FORCE)')
            _admin(f'CREATE DATABASE "{self.name}" TEMPLATE "{self.name}_snap"')

    def __exit__(self, *_exc: object) -> None:
        if not self.sqlite:
            _admin(f'DROP DATABASE IF EXISTS "{self.name}_snap" WITH (FORCE)')

    def _quiesce(self) -> None:
        if self.sqlite:  # everything into the main file, so that copying it copies all
            with get_engine(self.url).connect() as connection:
                connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        get_engine(self.url).dispose()


def _admin(statement: str) -> None:
    with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
        admin.execute(statement)


def timed(call: Callable[[], object]) -> float:
    """Seconds one call takes."""
    began = time.perf_counter()
    call()
    return time.perf_counter() - began


def morning(day: pendulum.Date) -> SweepReport:
    """The deadline sweep of `day`, as the flow runs it (without Prefect)."""
    return rehearsal.direct_morning(day, at_six(day))


def measure(url: str, folder: Path, size: int) -> dict[str, float]:
    """Build the record of `size`, run the sweeps, time the mornings; the figures."""
    _settings_for(url, folder)
    began = time.perf_counter()
    setup.initialise(now=at_six(MORNING.subtract(years=12)))
    programme = context.programmes()["cci"]
    ids, programme_id = first_ids(url)
    rows = build_rows(size, programme, programme_id, ids)
    load(url, rows)
    built = time.perf_counter() - began
    assert active_inspections(url) == size
    for back in range(14, 0, -1):  # the sweeps of the two weeks before
        morning(MORNING.subtract(days=back))
    figures = {"built": built, "rows": float(sum(map(len, rows.tables.values())))}
    steady = []
    with Snapshot(url, folder) as snapshot:
        for run in range(STEADY_RUNS):  # the same morning on the same record each time
            if run:
                snapshot.restore()
            began = time.perf_counter()
            report = morning(MORNING)
            steady.append(time.perf_counter() - began)
    figures["steady"] = statistics.median(steady)
    WORK[size] = (
        f"{len(report.advanced)} milestones done ({len(report.staged)} stages), "
        f"{len(report.held)} held, {len(report.blocked)} blocked, {report.claimed} reminders "
        f"claimed, {report.delivered} sent"
    )
    for day in range(1, (EMPTY - MORNING).days):  # Tuesday to Friday
        morning(MORNING.add(days=day))
    figures["empty"] = statistics.median(timed(lambda: morning(EMPTY)) for _ in range(3))
    figures["wakeup"] = statistics.median(
        timed(lambda: sweep.next_day_with_work(after=EMPTY)) for _ in range(3)
    )
    figures["schedule"] = statistics.median(schedule_one(k) for k in range(5))
    get_engine(url).dispose()
    return figures


def measure_dense(url: str, folder: Path, size: int) -> dict[str, float]:
    """A record with every active inspection in flight: claim on a morning with nothing new.

    Friday's reminders are claimed (and marked sent), so Saturday owes nothing: the claim
    still reads every open milestone within its lead times, ten working days ahead.
    """
    _settings_for(url, folder)
    setup.initialise(now=at_six(EMPTY.subtract(years=12)))
    ids, programme_id = first_ids(url)
    rows = build_dense_rows(size, context.programmes()["cci"], programme_id, ids)
    load(url, rows)
    assert active_inspections(url) == size
    friday = EMPTY.subtract(days=1)
    sweep.claim(as_of=friday, now=at_six(friday))
    with get_engine(url).begin() as connection:
        connection.execute(text("UPDATE reminder SET sent_at = created_at WHERE sent_at IS NULL"))
        open_now = connection.execute(text("SELECT count(*) FROM milestone WHERE done_at IS NULL"))
        figures = {"open": float(open_now.scalar() or 0)}
    claims = []
    for _ in range(3):
        began = time.perf_counter()
        assert sweep.claim(as_of=EMPTY, now=at_six(EMPTY)) == 0
        claims.append(time.perf_counter() - began)
    figures["claim"] = statistics.median(claims)
    figures["wakeup"] = statistics.median(
        timed(lambda: sweep.next_day_with_work(after=EMPTY)) for _ in range(3)
    )
    get_engine(url).dispose()
    return figures


def _settings_for(url: str, folder: Path) -> None:
    os.environ["INSPECTORATE_DATABASE_URL"] = url
    os.environ["INSPECTORATE_OUTBOX_DIR"] = str(folder / "outbox")
    os.environ["INSPECTORATE_REPORTS_DIR"] = str(folder / "reports")
    os.environ["INSPECTORATE_REPORT_FORMATS"] = "html"
    get_settings.cache_clear()


def schedule_one(k: int) -> float:
    """Seconds to schedule one inspection of a new YOT in an empty week, through the service."""
    with context.unit_of_work() as session:
        session.add(Body(name=f"Bench new YOT {k}", kind="yot", region="London"))
    monday = MORNING.add(weeks=26 + FAR_WEEKS + 10 + 2 * k)

    def schedule() -> None:
        context.run(
            scheduling.schedule,
            body_name=f"Bench new YOT {k}",
            programme_code="cci",
            fieldwork_start=monday,
            actor="bench",
            now=at_six(MORNING),
        )

    return timed(schedule)


@contextmanager
def postgres_database() -> Iterator[str]:
    """A database of its own on the local PostgreSQL, dropped afterwards."""
    name = f"inspectorate_bench_{uuid.uuid4().hex[:10]}"
    _admin(f'CREATE DATABASE "{name}"')
    url = f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
    try:
        yield url
    finally:
        get_engine(url).dispose()
        _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def main() -> None:
    """Measure every backend and size; print the figures and the ratio of largest to smallest."""
    results: dict[tuple[str, int], dict[str, float]] = {}
    with tempfile.TemporaryDirectory() as scratch:
        for backend in BACKENDS:
            for size in SIZES:
                folder = Path(scratch) / f"{backend}-{size}"
                if backend == "sqlite":
                    figures = measure(f"sqlite:///{folder / 'record.db'}", folder, size)
                else:
                    with postgres_database() as url:
                        figures = measure(url, folder, size)
                results[(backend, size)] = figures
                print(_line(backend, size, figures, results.get((backend, SIZES[0]))), flush=True)
        print("every active inspection in flight, Saturday after Friday's reminders were claimed:")
        for backend in BACKENDS:
            for size in SIZES:
                folder = Path(scratch) / f"dense-{backend}-{size}"
                if backend == "sqlite":
                    dense = measure_dense(f"sqlite:///{folder / 'record.db'}", folder, size)
                else:
                    with postgres_database() as url:
                        dense = measure_dense(url, folder, size)
                print(
                    f"  claim with nothing to claim ({backend}, {size:,} inspections, "
                    f"{dense['open']:,.0f} open milestones): {dense['claim']:.2f} s; next wakeup "
                    f"{dense['wakeup'] * 1000:.0f} ms",
                    flush=True,
                )
    largest = [results[(b, SIZES[-1])]["steady"] for b in BACKENDS]
    ratios = [
        results[(b, SIZES[-1])]["steady"] / results[(b, SIZES[0])]["steady"] for b in BACKENDS
    ]
    met = max(largest) < 1 and max(ratios) <= 3
    print(
        f"  goal: steady morning under 1 s at {SIZES[-1]:,} and ratio <= 3 "
        f"({'met' if met else 'NOT met'})"
    )


def _line(backend: str, size: int, figures: dict[str, float], base: dict | None) -> str:
    line = (
        f"sweep ({backend}, {size:,} inspections): steady morning {figures['steady']:.2f} s, "
        f"empty morning {figures['empty']:.2f} s"
    )
    if base is not None and base is not figures:
        line += (
            f"; ratio {size // 1000}k/{SIZES[0] // 1000}k "
            f"{figures['steady'] / base['steady']:.1f} (empty "
            f"{figures['empty'] / base['empty']:.1f})"
        )
    return line + (
        f"\n    steady morning's work: {WORK[size]}"
        f"\n    next wakeup {figures['wakeup'] * 1000:.0f} ms, scheduling one inspection "
        f"{figures['schedule'] * 1000:.0f} ms; record of {figures['rows']:,.0f} rows "
        f"built in {figures['built']:.1f} s"
    )


if __name__ == "__main__":
    main()
