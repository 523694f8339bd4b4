"""`inspectorate simulate`: a whole programme planned and run in simulated time."""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import pendulum
import typer
from rich.progress import Progress

from cli.lazy import lazy_module
from cli.options import JsonFlag
from cli.output import console, plural, print_json
from cli.progress import shown_after
from cli.tables import headline_scores_table, steps_table, summaries_table
from inspectorate.domain.errors import ConfigError, InvalidInput

if TYPE_CHECKING:
    from inspectorate.adapters import settings
    from inspectorate.domain import milestones, programmes
    from inspectorate.services import context, score_views, views
    from inspectorate.services import demo as demo_
else:
    context = lazy_module("inspectorate.services.context")
    demo_ = lazy_module("inspectorate.services.demo")
    milestones = lazy_module("inspectorate.domain.milestones")
    programmes = lazy_module("inspectorate.domain.programmes")
    score_views = lazy_module("inspectorate.services.score_views")
    settings = lazy_module("inspectorate.adapters.settings")
    views = lazy_module("inspectorate.services.views")


def simulation_summary(setup: Any, reports: list[Any], started: float) -> dict[str, Any]:
    """What a programme simulation did, read back from its record."""
    with context.reading() as session:
        tally = views.tally_record(session)
    return {
        "inspections_planned": len(setup.inspection_ids),
        "published": tally.published,
        "reinspections": tally.reinspections,
        "reminders_sent": sum(r.reminders_sent for r in reports),
        "days_simulated": sum(r.days_simulated for r in reports),
        "steps_by_sweep": sum(r.steps_by_sweep for r in reports),
        "steps_by_people": sum(r.steps_by_people for r in reports),
        "outbox": str(setup.outbox),
        "reports": str(settings.get_settings().reports_dir),
        "database": str(setup.database),
        "wall_seconds": round(time.perf_counter() - started, 1),
        "documents_written": tally.documents,
    }


def simulate_command(
    programme: Annotated[str, typer.Argument(help="Programme code: esi, iaow, omi2, cci, apa.")],
    until: Annotated[str, typer.Option(help="Simulate up to this date (YYYY-MM-DD).")],
    seed: Annotated[int, typer.Option(help="Seed: the same seed gives the same result.")] = 1,
    folder: Annotated[Path | None, typer.Option(help="Where to keep the run's data.")] = None,
    as_json: JsonFlag = False,
) -> None:
    """Plan the programme and run it in simulated time through Prefect."""
    definition = programmes.find_programme(context.programmes(), programme)
    if definition.planning is None or definition.planning.first_year is None:
        raise ConfigError(f"config/programmes/{definition.code}.toml needs [planning] first_year")
    end = milestones.parse_date(until, what="--until")
    month, day = (int(x) for x in definition.planning.year_starts.split("-"))
    start = pendulum.date(definition.planning.first_year, month, day)
    if end <= start:
        raise InvalidInput(f"--until {end} is not after the programme's start, {start}")
    started = time.perf_counter()
    setup = demo_.prepare_simulation(
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
    summary["wall_seconds"] = round(time.perf_counter() - started, 1)
    if as_json:
        print_json(summary)
        return
    for key, value in summary.items():
        console.print(f"{key.replace('_', ' '):>20}: {value}")


def demo(
    seed: Annotated[int, typer.Option(help="Seed for the simulated people.")] = 1,
    folder: Annotated[Path, typer.Option(help="Where the demo keeps its data.")] = Path("var/demo"),
) -> None:
    """Run six inspections from announcement to action plan in simulated time."""
    from inspectorate.services.demo import DEMO_CHECKPOINTS, DEMO_START, prepare_demo

    started = time.perf_counter()
    setup = prepare_demo(folder)
    console.print(
        f"Scheduled {plural(len(setup.inspection_ids), 'inspection')} on {DEMO_START.isoformat()}; "
        "running the programme through Prefect in simulated time (the deadline sweep each "
        "morning, scripted inspectors and trusts by day)."
    )
    from flows.simulate import simulate
    from tasks.runtime import embedded_runtime

    reports, start = [], DEMO_START
    with embedded_runtime():
        for checkpoint in DEMO_CHECKPOINTS:
            with shown_after(f"Simulating up to {checkpoint.isoformat()}…"):
                reports.append(simulate(start=start, until=checkpoint, seed=seed))
            with context.reading() as session:
                rows = views.summarise_inspections(session)
            console.print(summaries_table(rows, f"The programme on {checkpoint.isoformat()}"))
            start = checkpoint.add(days=1)
    with context.reading() as session:
        for code in ("iaow", "cci"):
            framework = context.frameworks()[code]
            scored = score_views.headline_scores(session, framework)
            console.print(headline_scores_table(scored, framework))
        body, steps = views.lifecycle_steps(session, setup.inspection_ids[0])
    console.print(steps_table(body, steps))
    outbox_files = len(list(setup.outbox.glob("*.eml")))
    reports_dir = settings.get_settings().reports_dir
    console.print(
        f"{sum(r.days_simulated for r in reports)} eventful days simulated; "
        f"{sum(r.steps_by_sweep for r in reports)} milestones done by the sweep and "
        f"{sum(r.steps_by_people for r in reports)} steps by people; "
        f"{sum(r.reminders_sent for r in reports)} notices and reminders sent.\n"
        f"Outbox:   {setup.outbox} ({outbox_files} .eml files: one a reader, so a notice to "
        "the body and the team is two)\n"
        f"Reports:  {reports_dir} ({len(list(reports_dir.glob('*.html')))} letters and reports; "
        "Wales's in English and Welsh)\n"
        f"Database: {setup.database}\n"
        f"Look:     INSPECTORATE_DATABASE_URL=sqlite:///{setup.database} "
        f".venv/bin/inspectorate inspection show {setup.inspection_ids[0]}\n"
        f"Wall time {time.perf_counter() - started:.1f} s."
    )


def register(app: typer.Typer, inspection: typer.Typer) -> None:
    """Add this module's commands to the command line."""
    app.command("simulate")(simulate_command)
    app.command()(demo)
