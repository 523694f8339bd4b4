"""`inspectorate simulate`: a whole programme planned and run in simulated time."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated, Any

import pendulum
import typer
from rich.progress import Progress
from sqlmodel import Session, select

from inspectorate import operations
from inspectorate.cli import JsonFlag, app, console, print_json
from inspectorate.demo import prepare_simulation
from inspectorate.errors import ConfigError, InvalidInput
from inspectorate.lifecycle import PUBLISHED_STATUSES
from inspectorate.milestones import parse_date
from inspectorate.models import Inspection
from inspectorate.programmes import find_programme
from inspectorate.settings import get_settings


def documents_written() -> int:
    """How many letters and reports the simulated lifecycle wrote."""
    from inspectorate.models import ReportVersion

    with Session(operations.engine()) as session:
        return len(session.exec(select(ReportVersion.id)).all())


def simulation_summary(setup: Any, reports: list[Any], started: float) -> dict[str, Any]:
    """What a programme simulation did, read back from its record."""
    with Session(operations.engine()) as session:
        inspections = session.exec(select(Inspection)).all()
    return {
        "inspections_planned": len(setup.inspection_ids),
        "published": sum(
            i.kind == "inspection" and i.status in PUBLISHED_STATUSES for i in inspections
        ),
        "reinspections": sum(i.kind != "inspection" for i in inspections),
        "reminders_sent": sum(r.reminders_sent for r in reports),
        "days_simulated": sum(r.days_simulated for r in reports),
        "steps_by_sweep": sum(r.steps_by_sweep for r in reports),
        "steps_by_people": sum(r.steps_by_people for r in reports),
        "outbox": str(setup.outbox),
        "reports": str(get_settings().reports_dir),
        "database": str(setup.database),
        "wall_seconds": round(time.perf_counter() - started, 1),
    }


@app.command("simulate")
def simulate_command(
    programme: Annotated[str, typer.Argument(help="Programme code: esi, iaow, omi2, cci, apa.")],
    until: Annotated[str, typer.Option(help="Simulate up to this date (YYYY-MM-DD).")],
    seed: Annotated[int, typer.Option(help="Seed: the same seed gives the same result.")] = 1,
    folder: Annotated[Path | None, typer.Option(help="Where to keep the run's data.")] = None,
    as_json: JsonFlag = False,
) -> None:
    """Plan the programme and run it in simulated time through Prefect."""
    definition = find_programme(operations.programmes(), programme)
    if definition.planning is None or definition.planning.first_year is None:
        raise ConfigError(f"config/programmes/{definition.code}.toml needs [planning] first_year")
    end = parse_date(until, what="--until")
    month, day = (int(x) for x in definition.planning.year_starts.split("-"))
    start = pendulum.date(definition.planning.first_year, month, day)
    if end <= start:
        raise InvalidInput(f"--until {end} is not after the programme's start, {start}")
    started = time.perf_counter()
    setup = prepare_simulation(
        definition.code, folder or Path("var/simulate") / definition.code, start
    )
    from flows.simulate import simulate
    from tasks.runtime import embedded_runtime

    reports = []
    chunks = [start.add(months=n) for n in range((end.year - start.year) * 12 + 13)]
    chunks = [c for c in chunks if c < end] + [end]
    with embedded_runtime(), Progress(console=console, transient=as_json) as progress:
        task = progress.add_task(f"Simulating {definition.code.upper()}", total=len(chunks) - 1)
        for first, last in zip(chunks, chunks[1:], strict=False):
            reports.append(
                simulate(
                    start=first, until=last.subtract(days=1) if last != end else last, seed=seed
                )
            )
            progress.update(task, advance=1, description=f"{definition.code.upper()} {last}")
    summary = simulation_summary(setup, reports, started)
    summary["documents_written"] = documents_written()
    summary["wall_seconds"] = round(time.perf_counter() - started, 1)
    if as_json:
        print_json(summary)
        return
    for key, value in summary.items():
        console.print(f"{key.replace('_', ' '):>20}: {value}")
