"""The `inspectorate` command line. Domain errors become one clear line and exit code 2."""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any, NoReturn

import pendulum
import typer
from rich.console import Console
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session

from inspectorate import clock, operations, score_views, views
from inspectorate.database import display_url, require_current_schema
from inspectorate.errors import InspectorateError, InvalidInput
from inspectorate.lifecycle import Stage
from inspectorate.milestones import parse_date, plan_milestones
from inspectorate.programmes import find_programme
from inspectorate.repository import get_inspection
from inspectorate.settings import get_settings

app = typer.Typer(
    help="Run an inspectorate's inspection programmes.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
inspection_app = typer.Typer(help="Schedule, show and advance inspections.", no_args_is_help=True)
reminders_app = typer.Typer(help="Reminders and escalations.", no_args_is_help=True)
app.add_typer(inspection_app, name="inspection")
app.add_typer(reminders_app, name="reminders")
# Tables need more than 80 columns; a pipe or CI log gets 120.
console = Console(width=None if sys.stdout.isatty() else 120)

EVIDENCE_COMMANDS = {
    Stage.SELECT_SAMPLE: "inspection sample {id} --caseload FILE",
    Stage.SCORE: "inspection score {id} --judgements FILE",
}
JsonFlag = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]
AsOf = Annotated[
    str | None,
    typer.Option(
        "--as-of", help="Act as if on this date (YYYY-MM-DD), e.g. to back-fill; default today."
    ),
]


def _print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, indent=2, default=str) + "\n")


@contextmanager
def _clock_at(as_of: str | None, hour: int) -> Iterator[pendulum.DateTime]:
    if as_of is None:
        yield clock.now()
        return
    day = parse_date(as_of, what="--as-of")
    with clock.use_clock(clock.VirtualClock(clock.morning_of(day, hour))) as virtual:
        yield virtual.now()


def _database() -> str:
    url = get_settings().database_url
    require_current_schema(url)
    return url


@app.command()
def milestones(
    programme: Annotated[str, typer.Option(help="Programme code, e.g. iaow or esi.")],
    fieldwork_start: Annotated[str, typer.Option(help="First fieldwork Monday, YYYY-MM-DD.")],
    as_json: JsonFlag = False,
) -> None:
    """Print an inspection's milestone dates (no database needed)."""
    definition = find_programme(operations.programmes(), programme)
    planned = plan_milestones(definition, parse_date(fieldwork_start, what="--fieldwork-start"))
    if as_json:
        _print_json(views.planned_milestones_json(planned))
    else:
        console.print(
            views.planned_milestones_table(
                planned, f"{definition.name}: fieldwork from {fieldwork_start}"
            )
        )


@app.command()
def init() -> None:
    """Create or upgrade the database schema and load bodies and programmes from config/."""
    report = operations.initialise()
    console.print(
        f"Database ready at {display_url(report.database_url)} (schema at head); "
        f"{report.bodies_changed} bodies and {report.programmes_changed} programmes "
        "loaded or updated."
    )


@inspection_app.command("schedule")
def schedule(
    body: Annotated[str, typer.Argument(help="The body's name, e.g. 'Durham Tees Valley'.")],
    programme: Annotated[str, typer.Option(help="Programme code, e.g. iaow.")],
    fieldwork_start: Annotated[str, typer.Option(help="First fieldwork Monday, YYYY-MM-DD.")],
    as_of: AsOf = None,
    actor: Annotated[str, typer.Option(help="Who is scheduling.")] = "programme-manager",
) -> None:
    """Schedule an inspection and plan its milestones."""
    start = parse_date(fieldwork_start, what="--fieldwork-start")
    _database()
    with _clock_at(as_of, hour=9) as now:
        inspection_id, created = operations.schedule(
            body_name=body, programme_code=programme, fieldwork_start=start, actor=actor, now=now
        )
    verb = "Scheduled" if created else "Already scheduled:"
    console.print(
        f"{verb} inspection {inspection_id} ({programme.upper()} of {body}, "
        f"fieldwork from {start.isoformat()})."
    )


@inspection_app.command("show")
def show(
    inspection_id: Annotated[int, typer.Argument(help="Inspection id.")], as_json: JsonFlag = False
) -> None:
    """Show an inspection: status, milestones and audit trail."""
    with Session(operations.engine()) as session:
        _database()
        data = views.inspection_json(session, get_inspection(session, inspection_id=inspection_id))
    if as_json:
        _print_json(data)
        return
    for table in views.inspection_tables(data):
        console.print(table)


@inspection_app.command("list")
def list_inspections(as_json: JsonFlag = False) -> None:
    """List every inspection with its next milestone."""
    _database()
    with Session(operations.engine()) as session:
        summaries = views.summarise_inspections(session)
    if as_json:
        _print_json([s.__dict__ for s in summaries])
    else:
        console.print(views.summaries_table(summaries, "Inspections"))


@inspection_app.command("advance")
def advance(
    inspection_id: Annotated[int, typer.Argument(help="Inspection id.")],
    stage: Annotated[Stage, typer.Argument(help="The step to take.")],
    why: Annotated[str, typer.Option(help="Reason, kept in the audit trail.")] = "",
    actor: Annotated[str, typer.Option(help="Who is taking the step.")] = "cli",
    as_of: AsOf = None,
) -> None:
    """Take one lifecycle step (runs the stage's Prefect flow)."""
    if stage in EVIDENCE_COMMANDS:
        raise InvalidInput(
            f"{stage.value} needs evidence: use `inspectorate "
            f"{EVIDENCE_COMMANDS[stage].format(id=inspection_id)}`"
        )
    _database()
    operations.check_stage(inspection_id=inspection_id, stage=stage)
    from flows.lifecycle import STAGE_FLOWS
    from tasks.runtime import embedded_runtime

    with _clock_at(as_of, hour=9) as now, embedded_runtime():
        outcome = STAGE_FLOWS[stage](inspection_id=inspection_id, actor=actor, why=why, now=now)
    if outcome.moved:
        console.print(f"Inspection {inspection_id}: {outcome.from_status} → {outcome.to_status}.")
    else:
        console.print(f"Inspection {inspection_id} is already {outcome.to_status}; nothing to do.")


@app.command()
def sweep(as_of: AsOf = None, as_json: JsonFlag = False) -> None:
    """Run the deadline sweep: advance what is due, send reminders and escalations."""
    _database()
    from flows.deadline_sweep import deadline_sweep
    from tasks.runtime import embedded_runtime

    with _clock_at(as_of, hour=6) as now, embedded_runtime():
        report = deadline_sweep(as_of=now.date(), now=now)
    if as_json:
        _print_json(report.__dict__)
        return
    console.print(
        f"Sweep for {report.as_of.isoformat()}: {len(report.advanced)} milestones "
        f"advanced, {report.claimed} reminders claimed, {report.delivered} delivered."
    )
    for line in report.advanced:
        console.print(f"  done: {line}")
    for line in report.blocked:
        console.print(f"  waiting: {line}")


@reminders_app.command("list")
def list_reminders(
    inspection: Annotated[int | None, typer.Option(help="Only this inspection.")] = None,
    as_json: JsonFlag = False,
) -> None:
    """List reminders, escalations and notices with when they were sent."""
    _database()
    with Session(operations.engine()) as session:
        rows = views.reminders_json(session, inspection)
    if as_json:
        _print_json(rows)
    else:
        console.print(views.reminders_table(rows))


@app.command()
def demo(
    seed: Annotated[int, typer.Option(help="Seed for the simulated people.")] = 1,
    folder: Annotated[Path, typer.Option(help="Where the demo keeps its data.")] = Path("var/demo"),
) -> None:
    """Run six inspections from announcement to action plan in simulated time."""
    from inspectorate.demo import DEMO_CHECKPOINTS, DEMO_START, prepare_demo

    started = time.perf_counter()
    setup = prepare_demo(folder)
    console.print(
        f"Scheduled {len(setup.inspection_ids)} inspections on {DEMO_START.isoformat()}; "
        "running the programme through Prefect in simulated time (the deadline sweep each "
        "morning, scripted inspectors and trusts by day)."
    )
    from flows.simulate import simulate
    from tasks.runtime import embedded_runtime

    reports, start = [], DEMO_START
    with embedded_runtime():
        for checkpoint in DEMO_CHECKPOINTS:
            reports.append(simulate(start=start, until=checkpoint, seed=seed))
            with Session(operations.engine()) as session:
                rows = views.summarise_inspections(session)
            console.print(views.summaries_table(rows, f"The programme on {checkpoint.isoformat()}"))
            start = checkpoint.add(days=1)
    with Session(operations.engine()) as session:
        for code in ("iaow", "cci"):
            console.print(score_views.headline_scores_table(session, operations.frameworks()[code]))
        console.print(views.steps_table(session, setup.inspection_ids[0]))
    outbox_files = len(list(setup.outbox.glob("*.eml")))
    reports_dir = get_settings().reports_dir
    console.print(
        f"{sum(r.days_simulated for r in reports)} eventful days simulated; "
        f"{sum(r.steps_by_sweep for r in reports)} milestones done by the sweep and "
        f"{sum(r.steps_by_people for r in reports)} steps by people; "
        f"{sum(r.reminders_sent for r in reports)} messages sent.\n"
        f"Outbox:   {setup.outbox} ({outbox_files} .eml files)\n"
        f"Reports:  {reports_dir} ({len(list(reports_dir.glob('*.html')))} letters and reports; "
        "Wales's in English and Welsh)\n"
        f"Database: {setup.database}\n"
        f"Look:     INSPECTORATE_DATABASE_URL=sqlite:///{setup.database} "
        f".venv/bin/inspectorate inspection show {setup.inspection_ids[0]}\n"
        f"Wall time {time.perf_counter() - started:.1f} s."
    )


def print_json(data: Any) -> None:
    """Print `data` as indented JSON on standard output."""
    _print_json(data)


def database_ready() -> str:
    """Return the database URL after checking its schema is current."""
    return _database()


def clock_at(as_of: str | None, hour: int) -> Any:
    """Use a virtual clock at `hour`:00 on `as_of` (or the real clock when None)."""
    return _clock_at(as_of, hour)


def main() -> None:
    """Entry point: run the app, turning domain errors into exit code 2 and one line."""
    try:
        app()  # usage errors are click's own: it prints them and exits 2
    except InspectorateError as error:
        _fail(str(error))
    except DBAPIError as error:
        _fail(f"cannot use the database {display_url(get_settings().database_url)}: {error.orig}")


def _fail(message: str) -> NoReturn:
    Console(stderr=True, soft_wrap=True).print(f"[bold red]error:[/] {message}", highlight=False)
    sys.exit(2)


from inspectorate import (  # noqa: E402,F401  (they register their commands on `app`)
    cli_comments,
    cli_dashboard,
    cli_evidence,
    cli_programme,
    cli_reports,
    cli_simulate,
    cli_triggers,
)

if __name__ == "__main__":
    main()
